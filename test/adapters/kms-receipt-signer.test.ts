/** Receipts signed by KMS: the DER signature KMS returns verifies with node:crypto and the published key. */
import { createHash, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { KMS_RAW_MESSAGE_LIMIT, KmsReceiptSigner } from '#adapters/kms-receipt-signer.ts';
import type { Attempt } from '#domain/attempt.ts';
import { type ReceiptBody, receiptBytes, receiptOf, signedReceipt, verifyReceipt } from '#domain/receipt.ts';

const KEY_ARN = 'arn:aws:kms:cn-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const kms = mockClient(KMSClient);
// Stands in for the key inside KMS: the mock signs with it the way KMS does (ECDSA P-256, DER).
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const spkiDer = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));

/** Messages by their SHA-256: node:crypto cannot sign a bare digest, so the mock signs the message it stands for. */
const digested = new Map<string, Uint8Array>();
const hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function kmsSigns(): void {
  kms.on(SignCommand).callsFake((input: { Message: Uint8Array; MessageType: 'RAW' | 'DIGEST' }) => {
    const message = input.MessageType === 'RAW' ? input.Message : digested.get(Buffer.from(input.Message).toString('hex'));
    if (!message) throw Object.assign(new Error('digest of no known message'), { name: 'ValidationException' });
    return {
      KeyId: KEY_ARN,
      Signature: new Uint8Array(nodeSign('sha256', message, { key: privateKey, dsaEncoding: 'der' })),
      SigningAlgorithm: 'ECDSA_SHA_256',
    };
  });
}

const PUBLIC_KEY_RESPONSE = {
  KeyId: KEY_ARN,
  PublicKey: spkiDer,
  KeySpec: 'ECC_NIST_P256',
  KeyUsage: 'SIGN_VERIFY',
  SigningAlgorithms: ['ECDSA_SHA_256'],
} as const;

function body(evidenceFiles = 1): ReceiptBody {
  const files = Array.from({ length: evidenceFiles }, (_, i) => ({
    role: 'evidence' as const,
    key: `evidence/91360100MA35EXAMPL/2026-04/dep-1/scan-${i}.pdf`,
    fileName: `scan-${i}.pdf`,
    size: 1000 + i,
    sha256: createHash('sha256').update(String(i)).digest('hex'),
    versionId: `version-${i}`,
  }));
  const attempt: Attempt = {
    attemptId: '0123456789abcdef',
    enterpriseId: '91360100MA35EXAMPL',
    period: '2026-04',
    depositId: 'dep-1',
    reportKey: 'reports/91360100MA35EXAMPL/2026-04/dep-1/report.csv',
    reportVersion: 'version-r',
    receivedAt: '2026-05-09T01:00:00.000Z',
    timeliness: { lastDay: '2026-05-10', dueAt: '2026-05-10T16:00:00.000Z', onTime: true, lateBySeconds: 0 },
    verdict: 'accepted',
    validation: { valid: true, verdict: 'accepted', stats: { errors: 0, warnings: 0, infos: 0 }, issues: [] },
    files,
    recordedAt: '2026-05-09T01:00:01.000Z',
  };
  return receiptOf(attempt, 1, new Date('2026-05-09T01:00:02Z'));
}

describe('KmsReceiptSigner', () => {
  beforeEach(() => {
    kms.reset();
    kmsSigns();
    kms.on(GetPublicKeyCommand).resolves({ ...PUBLIC_KEY_RESPONSE, SigningAlgorithms: [...PUBLIC_KEY_RESPONSE.SigningAlgorithms] });
  });

  it('signs the raw canonical bytes with ECDSA_SHA_256, and the DER signature verifies against the public key', async () => {
    const signer = new KmsReceiptSigner(new KMSClient({}), KEY_ARN);
    const unsigned = body();
    const bytes = receiptBytes(unsigned);

    const signature = await signer.sign(bytes);
    const receipt = signedReceipt(unsigned, signature);

    expect(kms).toReceiveCommandWith(SignCommand, { KeyId: KEY_ARN, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256', Message: bytes });
    expect(signature).toMatchObject({ keyId: KEY_ARN, alg: 'ECDSA_SHA_256' });
    // DER: an ASN.1 SEQUENCE (0x30), not the 64-byte r‖s WebCrypto produces.
    expect(Buffer.from(signature.value, 'base64')[0]).toBe(0x30);
    expect(verifyReceipt(JSON.parse(JSON.stringify(receipt)), await signer.publicKeyPem())).toMatchObject({ valid: true });
  });

  it('signs a receipt longer than KMS accepts as RAW by its SHA-256 digest, verifiable the same way', async () => {
    const signer = new KmsReceiptSigner(new KMSClient({}), KEY_ARN);
    const unsigned = body(40);
    const bytes = receiptBytes(unsigned);
    expect(bytes.length).toBeGreaterThan(KMS_RAW_MESSAGE_LIMIT);
    digested.set(hex(bytes), bytes);

    const receipt = signedReceipt(unsigned, await signer.sign(bytes));

    expect(kms).toReceiveCommandWith(SignCommand, { MessageType: 'DIGEST', Message: new Uint8Array(createHash('sha256').update(bytes).digest()) });
    expect(verifyReceipt(receipt, publicKey).valid).toBe(true);
  });

  it('publishes the KMS public key as PEM, fetched once per container even when requests overlap', async () => {
    const signer = new KmsReceiptSigner(new KMSClient({}), KEY_ARN);

    const [first, second] = await Promise.all([signer.publicKeyPem(), signer.publicKeyPem()]);
    const third = await signer.publicKeyPem();

    expect(first).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(first).toBe(publicKey.export({ format: 'pem', type: 'spki' }).toString());
    expect(kms).toHaveReceivedCommandTimes(GetPublicKeyCommand, 1);
  });

  it('does not keep a failed public-key fetch: the next request asks KMS again', async () => {
    kms
      .on(GetPublicKeyCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .resolves({ ...PUBLIC_KEY_RESPONSE, SigningAlgorithms: [...PUBLIC_KEY_RESPONSE.SigningAlgorithms] });
    const signer = new KmsReceiptSigner(new KMSClient({}), KEY_ARN);

    await expect(signer.publicKeyPem()).rejects.toThrow('Rate exceeded');
    await expect(signer.publicKeyPem()).resolves.toMatch(/BEGIN PUBLIC KEY/);
    expect(kms).toHaveReceivedCommandTimes(GetPublicKeyCommand, 2);
  });

  it('refuses to publish a key that cannot sign receipts as documented (not P-256)', async () => {
    kms.on(GetPublicKeyCommand).resolves({ KeyId: KEY_ARN, PublicKey: spkiDer, KeySpec: 'RSA_2048', SigningAlgorithms: ['RSASSA_PSS_SHA_256'] });
    const signer = new KmsReceiptSigner(new KMSClient({}), KEY_ARN);

    await expect(signer.publicKeyPem()).rejects.toThrow(/ECC_NIST_P256/);
  });
});
