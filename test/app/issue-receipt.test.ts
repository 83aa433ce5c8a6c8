/** Issuing a receipt: the attempt as recorded now, numbered within its month, signed; refused when unknown or not the caller's to read. */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AttemptLookup, ReceiptSigner, RegistryReader } from '#app/ports.ts';
import type { Principal } from '#domain/identity.ts';
import { issueReceipt, receiptKeyFor } from '#app/issue-receipt.ts';
import type { Attempt, EnterprisePeriod } from '#domain/attempt.ts';
import { receiptBytes } from '#domain/receipt.ts';

const attempt = (attemptId: string, receivedAt: string, overrides: Partial<Attempt> = {}): Attempt => ({
  attemptId,
  enterpriseId: 'E',
  period: '2026-04',
  depositId: `dep-${attemptId}`,
  reportKey: `reports/E/2026-04/dep-${attemptId}/report.csv`,
  reportVersion: 'etag',
  receivedAt,
  timeliness: { lastDay: '2026-05-10', dueAt: '2026-05-10T16:00:00.000Z', onTime: true, lateBySeconds: 0 },
  verdict: 'needs-review',
  validation: { valid: true, verdict: 'needs-review', stats: { errors: 0, warnings: 1, infos: 0 }, issues: [] },
  files: [],
  recordedAt: receivedAt,
  ...overrides,
});

const first = attempt('a1', '2026-05-01T00:00:00.000Z');
const second = attempt('a2', '2026-05-02T00:00:00.000Z');
const record: EnterprisePeriod = {
  enterpriseId: 'E',
  period: '2026-04',
  province: '江西',
  city: '南昌',
  industry: 'power',
  version: 2,
  attempts: [first, second].map((a) => ({
    attemptId: a.attemptId,
    reportKey: a.reportKey,
    receivedAt: a.receivedAt,
    onTime: true,
    verdict: a.verdict,
    errors: 0,
    warnings: 1,
  })),
};

function lookup(attempts: Attempt[], records: EnterprisePeriod[] = [record]): AttemptLookup {
  return {
    findAttempt: async (id) => attempts.find((a) => a.attemptId === id),
    getDeposit: async (e, p) => records.find((r) => r.enterpriseId === e && r.period === p),
  };
}

const PUBLIC_PEM = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ format: 'pem', type: 'spki' }).toString();

/** Records what it was asked to sign; the "signature" names those bytes. */
function recordingSigner(): ReceiptSigner & { signed: Uint8Array[] } {
  const signed: Uint8Array[] = [];
  return {
    signed,
    sign: async (bytes) => {
      signed.push(bytes);
      return { keyId: 'k1', alg: 'ECDSA_SHA_256', value: Buffer.from(bytes).toString('base64') };
    },
    publicKeyPem: async () => PUBLIC_PEM,
  };
}

const now = () => new Date('2026-05-03T00:00:00Z');
const noRegistry: RegistryReader = { get: async () => undefined };
const owner: Principal = { role: 'enterprise', subject: 'c', name: 'c', enterpriseId: 'E' };
const nanchang: Principal = { role: 'department', subject: 'd', name: 'd', jurisdiction: { kind: 'city', code: '360100', province: '360000' } };
const jiujiang: Principal = { role: 'department', subject: 'j', name: 'j', jurisdiction: { kind: 'city', code: '360400', province: '360000' } };
const other: Principal = { role: 'enterprise', subject: 'o', name: 'o', enterpriseId: 'F' };

describe('issuing a receipt', () => {
  it('numbers the attempt by its place in the month and signs exactly the canonical bytes of the receipt', async () => {
    const signer = recordingSigner();

    const outcome = await issueReceipt({ attempts: lookup([first, second]), registry: noRegistry, signer, now }, 'a2', owner);

    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.value).toMatchObject({ kind: 'attempt-recorded', issuedAt: '2026-05-03T00:00:00.000Z', attempt: { attemptId: 'a2', number: 2 } });
    expect(outcome.value.signature).toEqual({
      alg: 'ECDSA_SHA_256',
      encoding: 'der',
      keyId: 'k1',
      value: Buffer.from(signer.signed[0] ?? []).toString('base64'),
    });
    expect(Buffer.from(signer.signed[0] ?? []).equals(Buffer.from(receiptBytes(outcome.value)))).toBe(true);
  });

  it('reflects a later decision: kind decision-recorded', async () => {
    const decided = attempt('a2', second.receivedAt, {
      verdict: 'returned',
      decision: {
        decisionId: 'd',
        outcome: 'return',
        reviewer: 'r',
        level: 'province',
        decidedAt: '2026-05-02T08:00:00.000Z',
        comment: '请补充化验报告',
        issueComments: [],
      },
    });
    const outcome = await issueReceipt({ attempts: lookup([first, decided]), registry: noRegistry, signer: recordingSigner(), now }, 'a2', nanchang);
    expect(outcome).toMatchObject({ ok: true, value: { kind: 'decision-recorded', verdict: { machine: 'needs-review', current: 'returned' } } });
  });

  it('is refused for an attempt that is not recorded, and signs nothing', async () => {
    const signer = recordingSigner();
    await expect(issueReceipt({ attempts: lookup([first]), registry: noRegistry, signer, now }, 'nope', owner)).resolves.toEqual({
      ok: false,
      refusal: { code: 'not-found', message: { zh: '没有编号为 nope 的提交记录', en: 'no attempt nope is recorded' } },
    });
    expect(signer.signed).toEqual([]);
  });

  it('is answered as not recorded to a caller who may not read the enterprise (another enterprise, another city), and signs nothing', async () => {
    const signer = recordingSigner();
    const deps = { attempts: lookup([first]), registry: noRegistry, signer, now };

    for (const caller of [other, jiujiang])
      await expect(issueReceipt(deps, 'a1', caller)).resolves.toMatchObject({ ok: false, refusal: { code: 'not-found' } });
    expect(signer.signed).toEqual([]);
  });

  it('places an attempt without a month record by the registry entry', async () => {
    const registry: RegistryReader = { get: async () => ({ enterpriseId: 'E', province: '360000', city: '360100' }) as never };
    const deps = { attempts: lookup([first], []), signer: recordingSigner(), now };

    await expect(issueReceipt({ ...deps, registry }, 'a1', nanchang)).resolves.toMatchObject({ ok: true });
    await expect(issueReceipt({ ...deps, registry: noRegistry }, 'a1', nanchang)).resolves.toMatchObject({ ok: false, refusal: { code: 'not-found' } });
  });

  it('publishes the signer’s key as PEM, JWK and fingerprint', async () => {
    const key = await receiptKeyFor({ signer: recordingSigner() });
    expect(key).toMatchObject({
      alg: 'ECDSA_SHA_256',
      encoding: 'der',
      jwk: { kty: 'EC', crv: 'P-256' },
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });
});
