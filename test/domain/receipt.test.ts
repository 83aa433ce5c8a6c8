/** The receipt: its content, its canonical bytes, and offline verification with only the public key. */
import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Attempt } from '#domain/attempt.ts';
import {
  keyFingerprint,
  publishedReceiptKey,
  type Receipt,
  type ReceiptBody,
  receiptBytes,
  receiptOf,
  shanghaiIso,
  signedReceipt,
  verifyReceipt,
} from '#domain/receipt.ts';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

function attempt(overrides: Partial<Attempt> = {}): Attempt {
  return {
    attemptId: '0123456789abcdef',
    enterpriseId: '91360100MA35EXAMPL',
    period: '2026-04',
    depositId: 'dep-1',
    reportKey: 'reports/91360100MA35EXAMPL/2026-04/dep-1/report.csv',
    reportVersion: 'v-report',
    receivedAt: '2026-05-10T16:30:00.000Z',
    timeliness: { lastDay: '2026-05-10', dueAt: '2026-05-10T16:00:00.000Z', onTime: false, lateBySeconds: 1800 },
    verdict: 'needs-review',
    validation: { valid: true, verdict: 'needs-review', stats: { errors: 0, warnings: 1, infos: 0 }, issues: [] },
    files: [
      {
        role: 'report',
        key: 'reports/91360100MA35EXAMPL/2026-04/dep-1/report.csv',
        fileName: 'report.csv',
        size: 120,
        sha256: sha('report'),
        versionId: 'v-report',
      },
      { role: 'evidence', key: 'evidence/91360100MA35EXAMPL/2026-04/dep-1/ledger-scan.pdf', fileName: 'ledger-scan.pdf', size: 300, sha256: sha('scan') },
    ],
    recordedAt: '2026-05-10T16:30:01.000Z',
    ...overrides,
  };
}

const ISSUED = new Date('2026-05-10T16:31:00Z');
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();

function signWith(key: KeyObject, body: ReceiptBody): Receipt {
  const value = sign('sha256', receiptBytes(body), { key, dsaEncoding: 'der' }).toString('base64');
  return signedReceipt(body, { keyId: 'test-key', alg: 'ECDSA_SHA_256', value });
}

/** A receipt as it travels: JSON text, parsed again. */
const roundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('the receipt of an attempt', () => {
  it('states the attempt, its number, receipt time in UTC and Beijing time, deadline, verdict and every file', () => {
    const body = receiptOf(attempt(), 2, ISSUED);

    expect(body).toMatchObject({
      receiptVersion: 1,
      kind: 'attempt-recorded',
      issuedAt: '2026-05-10T16:31:00.000Z',
      enterpriseId: '91360100MA35EXAMPL',
      period: '2026-04',
      attempt: { attemptId: '0123456789abcdef', number: 2, depositId: 'dep-1', reportVersion: 'v-report' },
      receivedAt: { utc: '2026-05-10T16:30:00.000Z', shanghai: '2026-05-11T00:30:00.000+08:00' },
      timeliness: {
        lastDay: '2026-05-10',
        dueAt: { utc: '2026-05-10T16:00:00.000Z', shanghai: '2026-05-11T00:00:00.000+08:00' },
        onTime: false,
        lateBySeconds: 1800,
      },
      verdict: { machine: 'needs-review', current: 'needs-review', errors: 0, warnings: 1, decision: null },
    });
    expect(body.files).toEqual([
      { role: 'report', fileName: 'report.csv', key: attempt().files[0]?.key, versionId: 'v-report', size: 120, sha256: sha('report') },
      // Unversioned storage (the twin): the receipt says so rather than leaving the field out.
      { role: 'evidence', fileName: 'ledger-scan.pdf', key: attempt().files[1]?.key, versionId: null, size: 300, sha256: sha('scan') },
    ]);
  });

  it('after a reviewer decides, is of kind decision-recorded with the decision and both verdicts', () => {
    const decided = attempt({
      verdict: 'accepted',
      decision: {
        decisionId: 'd',
        outcome: 'accept',
        reviewer: 'arn:aws:iam::1:user/r',
        level: 'city',
        decidedAt: '2026-05-12T02:00:00.000Z',
        comment: '核实无误',
        issueComments: [],
      },
    });

    const body = receiptOf(decided, 2, ISSUED);

    expect(body.kind).toBe('decision-recorded');
    expect(body.verdict).toEqual({
      machine: 'needs-review',
      current: 'accepted',
      errors: 0,
      warnings: 1,
      decision: {
        outcome: 'accept',
        level: 'city',
        decidedAt: { utc: '2026-05-12T02:00:00.000Z', shanghai: '2026-05-12T10:00:00.000+08:00' },
        comment: '核实无误',
      },
    });
  });

  it('has no number for an upload that named no enterprise and month, and no hash for an unreadable file', () => {
    const files = [{ role: 'evidence' as const, key: 'evidence/x', fileName: 'x.pdf', size: 9, sha256: '', unreadable: 'archived' }];
    const body = receiptOf(attempt({ files }), null, ISSUED);
    expect(body.attempt.number).toBeNull();
    expect(body.files[0]?.sha256).toBeNull();
    expect(verifyReceipt(roundTrip(signWith(privateKey, body)), pem).valid).toBe(true);
  });

  it('writes Beijing time with its +08:00 offset', () => {
    expect(shanghaiIso('2026-12-31T16:00:00Z')).toBe('2027-01-01T00:00:00.000+08:00');
  });
});

describe('the canonical bytes (RFC 8785)', () => {
  it('do not depend on the order of keys', () => {
    const body = receiptOf(attempt(), 1, ISSUED);
    const shuffled = reorder(body) as ReceiptBody;

    expect(Object.keys(shuffled)).not.toEqual(Object.keys(body));
    expect(Buffer.from(receiptBytes(shuffled)).toString()).toBe(Buffer.from(receiptBytes(body)).toString());
  });

  it('are sorted, without whitespace, UTF-8, and leave the signature out', () => {
    const receipt = signWith(privateKey, receiptOf(attempt(), 1, ISSUED));
    const text = Buffer.from(receiptBytes(receipt)).toString('utf8');

    expect(text.startsWith('{"attempt":{"attemptId":"0123456789abcdef",')).toBe(true);
    expect(text).not.toMatch(/\s"|":\s/);
    expect(text).not.toContain('signature');
    expect(text).toBe(Buffer.from(receiptBytes(receiptOf(attempt(), 1, ISSUED))).toString('utf8'));
  });
});

describe('verifying a receipt with only the public key', () => {
  const receipt = roundTrip(signWith(privateKey, receiptOf(attempt(), 2, ISSUED)));

  it('holds for the receipt as issued, and for the files it lists', () => {
    const check = verifyReceipt(receipt, pem, [
      { fileName: 'report.csv', sha256: sha('report') },
      { fileName: 'ledger-scan.pdf', sha256: sha('scan').toUpperCase() },
    ]);

    expect(check).toMatchObject({ valid: true, signatureValid: true, problems: [] });
    expect(check.files.map((f) => f.matches)).toEqual([true, true]);
  });

  it('holds with the key as JWK too (what GET /receipt-key also publishes)', () => {
    const published = publishedReceiptKey(pem);
    expect(published.fingerprint).toBe(keyFingerprint(publicKey));
    expect(published.jwk).toMatchObject({ kty: 'EC', crv: 'P-256' });
    expect(verifyReceipt(receipt, published.publicKeyPem).valid).toBe(true);
  });

  it.each([
    ['the verdict', (r: Receipt) => ({ ...r, verdict: { ...r.verdict, current: 'accepted' } })],
    ['the receipt time', (r: Receipt) => ({ ...r, receivedAt: { ...r.receivedAt, utc: '2026-05-10T15:30:00.000Z' } })],
    ['a file hash', (r: Receipt) => ({ ...r, files: r.files.map((f, i) => (i === 1 ? { ...f, sha256: sha('other scan') } : f)) })],
    ['the list of files', (r: Receipt) => ({ ...r, files: r.files.slice(0, 1) })],
    ['the attempt number', (r: Receipt) => ({ ...r, attempt: { ...r.attempt, number: 1 } })],
  ])('fails when %s is changed', (_, tamper) => {
    const check = verifyReceipt(tamper(receipt), pem);
    expect(check).toMatchObject({ valid: false, signatureValid: false });
    expect(check.problems.map((p) => p.code)).toEqual(['bad-signature']);
  });

  it('fails when the signature is changed by one byte', () => {
    const bytes = Buffer.from(receipt.signature.value, 'base64');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0x01;
    const check = verifyReceipt({ ...receipt, signature: { ...receipt.signature, value: bytes.toString('base64') } }, pem);
    expect(check.signatureValid).toBe(false);
  });

  it('fails with another key', () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
    expect(verifyReceipt(receipt, other)).toMatchObject({ valid: false, signatureValid: false });
  });

  it('fails, without throwing, for a key that is not a P-256 public key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    expect(verifyReceipt(receipt, rsa).valid).toBe(false);
    expect(verifyReceipt(receipt, 'not a key').valid).toBe(false);
  });

  it('refuses a field added to a receipt (signed content is only what the schema names)', () => {
    const check = verifyReceipt({ ...receipt, note: 'accepted by phone' }, pem);
    expect(check).toMatchObject({ valid: false });
    expect(check.problems[0]?.code).toBe('malformed');
    expect(check.problems[0]?.message.en).toContain('note');
  });

  it('fails for a presented file whose content differs, or whose name the receipt does not list', () => {
    const check = verifyReceipt(receipt, pem, [
      { fileName: 'ledger-scan.pdf', sha256: sha('a different scan') },
      { fileName: 'extra.pdf', sha256: sha('scan') },
    ]);

    expect(check.signatureValid).toBe(true);
    expect(check.valid).toBe(false);
    expect(check.problems.map((p) => [p.code, p.fileName])).toEqual([
      ['file-mismatch', 'ledger-scan.pdf'],
      ['file-not-in-receipt', 'extra.pdf'],
    ]);
    expect(check.problems[0]?.message.zh).toContain('SHA-256 与回执不符');
  });
});

/** The same value with every object's keys in reverse insertion order. */
function reorder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorder);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reorder(v)]),
    );
  return value;
}
