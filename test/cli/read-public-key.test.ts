import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPublicKey } from '#cli/commands/receipt.ts';

const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const dir = mkdtempSync(join(tmpdir(), 'evidence-key-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('the key verify-receipt reads', () => {
  it.each([
    ['a PEM file', () => file('key.pem', pem)],
    ['the JSON GET /receipt-key answers (a PEM inside it)', () => file('key.json', JSON.stringify({ algorithm: 'ES256', publicKeyPem: pem }, null, 2))],
    ['a JWK', () => file('key.jwk', JSON.stringify(publicKey.export({ format: 'jwk' })))],
  ])('reads %s as the same key', (_what, path) => {
    expect(readPublicKey(path()).export({ type: 'spki', format: 'pem' })).toBe(pem);
  });
});
