/**
 * Opening a deposit on fake ports: the enterprise itself and registered, one write-once link per
 * file in a fresh folder (evidence first, the report last), each signed with the declared
 * SHA-256; every file problem refused before a link is signed.
 */
import { describe, expect, it } from 'vitest';
import type { RegistryReader, UploadLinks, UploadSpec } from '#app/ports.ts';
import { type OpenDepositBody, OpenDepositBodySchema, type OpenDepositDeps, openDeposit } from '#app/open-deposit.ts';
import { DEFAULT_CHECK_SETTINGS } from '#domain/check-settings.ts';
import type { Principal } from '#domain/identity.ts';
import type { Enterprise } from '#domain/registry.ts';
import { EXAMPLE_ENTERPRISE_ID, JIUJIANG_ENTERPRISE_ID } from '#twin/accounts.ts';

const SHA = 'a'.repeat(64);
const NOW = new Date('2026-03-01T02:00:00.000Z');
const clerk: Principal = { role: 'enterprise', subject: 'clerk', name: '填报员', enterpriseId: EXAMPLE_ENTERPRISE_ID };

function fakes(registered: readonly string[] = [EXAMPLE_ENTERPRISE_ID]) {
  const signed: UploadSpec[] = [];
  const links: UploadLinks = {
    putLink: async (spec, seconds) => {
      signed.push(spec);
      return { url: `https://bucket/${spec.key}?X-Amz-Expires=${seconds}`, headers: { 'if-none-match': '*', 'x-amz-checksum-sha256': spec.sha256Base64 } };
    },
  };
  const registry: RegistryReader = { get: async (id) => (registered.includes(id) ? ({ enterpriseId: id } as Enterprise) : undefined) };
  const deps: OpenDepositDeps = { registry, links, evidence: DEFAULT_CHECK_SETTINGS.evidence, newDepositId: () => '20260301T020000Z-abcdef', now: () => NOW };
  return { deps, signed };
}

const body = (overrides: Partial<OpenDepositBody> = {}): OpenDepositBody =>
  OpenDepositBodySchema.parse({
    period: '2026-02',
    report: { fileName: 'report.csv', size: 1200, sha256: SHA },
    evidence: [
      { fileName: 'unit1-ledger.pdf', size: 5000, sha256: SHA },
      { fileName: 'unit1-lab-report.pdf', size: 6000, sha256: SHA },
    ],
    ...overrides,
  });

describe('opening a deposit', () => {
  it('answers one write-once link per file in a fresh deposit folder, evidence first and the report last, valid 15 minutes', async () => {
    // Prepare
    const { deps, signed } = fakes();

    // Act
    const outcome = await openDeposit(deps, clerk, EXAMPLE_ENTERPRISE_ID, body());

    // Assess
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const folder = `${EXAMPLE_ENTERPRISE_ID}/2026-02/20260301T020000Z-abcdef`;
    expect(outcome.value).toMatchObject({ depositId: '20260301T020000Z-abcdef', period: '2026-02', expiresAt: '2026-03-01T02:15:00.000Z' });
    expect(outcome.value.uploads.map((u) => [u.role, u.key, u.method])).toEqual([
      ['evidence', `evidence/${folder}/unit1-ledger.pdf`, 'PUT'],
      ['evidence', `evidence/${folder}/unit1-lab-report.pdf`, 'PUT'],
      ['report', `reports/${folder}/report.csv`, 'PUT'],
    ]);
    expect(outcome.value.uploads[2]).toMatchObject({ url: expect.stringContaining('X-Amz-Expires=900'), headers: { 'if-none-match': '*' }, size: 1200 });
    // The declared hex SHA-256, as S3's base64 header carries it.
    expect(signed.every((s) => s.sha256Base64 === Buffer.from(SHA, 'hex').toString('base64'))).toBe(true);
  });

  it('reads a SHA-256 given in base64 as the same hash', () => {
    const base64 = Buffer.from(SHA, 'hex').toString('base64');

    expect(body({ report: { fileName: 'r.csv', size: 1, sha256: base64 } }).report.sha256).toBe(SHA);
    expect(OpenDepositBodySchema.safeParse({ period: '2026-02', report: { fileName: 'r.csv', size: 1, sha256: 'abc' } }).success).toBe(false);
  });

  it('refuses another enterprise’s folder (403) and signs nothing', async () => {
    const { deps, signed } = fakes([EXAMPLE_ENTERPRISE_ID, JIUJIANG_ENTERPRISE_ID]);

    const outcome = await openDeposit(deps, clerk, JIUJIANG_ENTERPRISE_ID, body());

    expect(outcome).toMatchObject({ ok: false, refusal: { code: 'forbidden', message: { en: expect.stringContaining('only its own') } } });
    expect(signed).toEqual([]);
  });

  it('refuses an enterprise the registry does not hold (404), saying so plainly', async () => {
    const { deps } = fakes([]);

    await expect(openDeposit(deps, clerk, EXAMPLE_ENTERPRISE_ID, body())).resolves.toMatchObject({
      ok: false,
      refusal: { code: 'not-found', message: { zh: expect.stringContaining('不在重点排放单位名录中'), en: expect.stringContaining('not in the registry') } },
    });
  });

  it.each([
    ['a report in a format that is not read', { report: { fileName: 'report.xls', size: 10, sha256: SHA } }, /save as XLSX or CSV/],
    ['a report over 2 MiB', { report: { fileName: 'report.csv', size: 3 * 1024 * 1024, sha256: SHA } }, /larger than 2097152 bytes/],
    ['a name with a path in it', { evidence: [{ fileName: '../x.pdf', size: 1, sha256: SHA }] }, /not a plain file name/],
    [
      'two evidence files of one name',
      {
        evidence: [
          { fileName: 'a.pdf', size: 1, sha256: SHA },
          { fileName: 'A.pdf', size: 1, sha256: SHA },
        ],
      },
      /two evidence files are named A.pdf/,
    ],
    ['evidence of a type not accepted', { evidence: [{ fileName: 'macro.docm', size: 1, sha256: SHA }] }, /not of an accepted type/],
    ['evidence over the size limit', { evidence: [{ fileName: 'big.pdf', size: 300 * 1024 * 1024, sha256: SHA }] }, /larger than 209715200 bytes/],
    [
      'more evidence files than intake reads',
      { evidence: Array.from({ length: 101 }, (_, i) => ({ fileName: `f${i}.pdf`, size: 1, sha256: SHA })) },
      /at most 100/,
    ],
  ])('refuses %s (400) before signing a link', async (_, overrides, reason) => {
    const { deps, signed } = fakes();

    const outcome = await openDeposit(deps, clerk, EXAMPLE_ENTERPRISE_ID, body(overrides as Partial<OpenDepositBody>));

    expect(outcome).toMatchObject({ ok: false, refusal: { code: 'bad-request', message: { en: expect.stringMatching(reason) } } });
    expect(signed).toEqual([]);
  });
});
