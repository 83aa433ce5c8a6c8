/** The twin's receipt key: created once in a file, never overwritten, signing as KMS does (P-256, DER). */
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeyFileReceiptSigner } from '#adapters/key-file-receipt-signer.ts';
import { keyFingerprint } from '#domain/receipt.ts';

const scratch = () => join(mkdtempSync(join(tmpdir(), 'receipt-key-')), 'nested', 'receipt-signing-key.pem');

describe('KeyFileReceiptSigner', () => {
  it('creates a P-256 key file readable by its owner only when there is none, and signs DER verifiable with its public key', async () => {
    const path = scratch();
    const signer = new KeyFileReceiptSigner(path);
    const bytes = new TextEncoder().encode('{"a":1}');

    const signature = await signer.sign(bytes);
    const pem = await signer.publicKeyPem();

    expect(readFileSync(path, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(statSync(path).mode & 0o077).toBe(0);
    expect(signature).toMatchObject({ alg: 'ECDSA_SHA_256', keyId: `sha256:${keyFingerprint(pem)}` });
    expect(createPublicKey(pem).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(verify('sha256', bytes, { key: pem, dsaEncoding: 'der' }, Buffer.from(signature.value, 'base64'))).toBe(true);
  });

  it('keeps the existing key: a later signer (the next twin run) publishes the same public key', async () => {
    const path = scratch();
    const first = await new KeyFileReceiptSigner(path).publicKeyPem();
    const content = readFileSync(path, 'utf8');

    const second = await new KeyFileReceiptSigner(path).publicKeyPem();

    expect(second).toBe(first);
    expect(readFileSync(path, 'utf8')).toBe(content);
  });

  it('keeps one key when several signers create it at the same moment', async () => {
    const path = scratch();
    const keys = await Promise.all(Array.from({ length: 6 }, () => new KeyFileReceiptSigner(path).publicKeyPem()));
    expect(new Set(keys).size).toBe(1);
    expect(await new KeyFileReceiptSigner(path).publicKeyPem()).toBe(keys[0]);
  });

  it('refuses a key file that holds another kind of key', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'receipt-key-')), 'rsa.pem');
    writeFileSync(path, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }));
    await expect(new KeyFileReceiptSigner(path).publicKeyPem()).rejects.toThrow(/not a P-256 private key/);
  });
});
