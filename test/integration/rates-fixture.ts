/**
 * A city of its own on the shared twin (other test files write to the same tables: each file that
 * seeds one names a real city no other file uses, since a scope must be a GB/T 2260 city), with
 * January 2026 deposited through the real pipeline: on time, late, returned then corrected,
 * awaiting review, and one enterprise that never deposits.
 */
import { uploadDeposit } from '#adapters/deposit-uploader.ts';
import { cityCodeOf, divisionLabel, provinceOfCity } from '#domain/provinces.ts';
import type { Enterprise } from '#domain/registry.ts';
import type { DemoFlaw } from '#twin/demo.ts';
import { demoPdf, demoReport } from '#twin/demo.ts';
import { SIMULATED_RECEIPT_METADATA } from '#twin/twin.ts';
import { eventually, testEnterprise, type useTwin } from '../support/twin.ts';

export const PERIOD = '2026-01';
/** A nightly run "as of" 02:00 on 1 April 2026: periods 2025-03 … 2026-03. */
export const NIGHT = '2026-04-01T02:00:00+08:00';

type Twin = ReturnType<typeof useTwin>;

/** A January deposit through the real pipeline, received (as S3 would say) at `at`. */
export function depositFor(twin: Twin, enterprise: Enterprise, at: string, flaw: DemoFlaw = 'none', seed = 1) {
  return uploadDeposit(twin.clients.s3, twin.resources.bucket, {
    enterpriseId: enterprise.enterpriseId,
    period: PERIOD,
    report: {
      fileName: 'report.json',
      body: JSON.stringify(demoReport(enterprise, PERIOD, seed, flaw)),
    },
    evidence: [
      { fileName: 'ledger-scan.pdf', body: demoPdf(`ledger ${seed}`) },
      { fileName: 'lab-report.pdf', body: demoPdf(`lab ${seed}`) },
    ],
    reportMetadata: {
      [SIMULATED_RECEIPT_METADATA]: new Date(at).toISOString(),
    },
  });
}

export async function seedCity(twin: Twin, city: string) {
  const code = cityCodeOf(city);
  if (!code) throw new Error(`seedCity: ${city} is no GB/T 2260 city`);
  const make = (name: string, extra = {}) => testEnterprise({ province: divisionLabel(provinceOfCity(code)), city, name, ...extra });
  const e = {
    onTime: make('准时电厂'),
    late: make('迟交电厂'),
    corrected: make('=HYPERLINK("http://x")退回电厂'),
    inReview: make('待审电厂'),
    missing: make('未交电厂', { obligedFrom: '2026-01' }),
    left: make('已退出电厂', { obligedUntil: '2025-12' }),
  };
  await twin.registry.putAll(Object.values(e));
  const deposit = (who: keyof typeof e, at: string, flaw: DemoFlaw = 'none', seed = 1) => depositFor(twin, e[who], at, flaw, seed);
  await deposit('onTime', '2026-03-12T23:59:59+08:00');
  await deposit('late', '2026-03-20T10:00:00+08:00');
  await deposit('corrected', '2026-02-20T10:00:00+08:00', 'supplied-exceeds-generated', 2);
  await deposit('corrected', '2026-02-25T10:00:00+08:00', 'none', 3);
  await deposit('inReview', '2026-02-15T10:00:00+08:00', 'atypical-ncv', 4);
  const expected = { onTime: 1, late: 1, corrected: 2, inReview: 1 } as const;
  for (const [who, count] of Object.entries(expected)) {
    await eventually(async () => {
      const [record] = await twin.ledger.depositsOf(e[who as keyof typeof e].enterpriseId, PERIOD);
      return (record?.attempts.length ?? 0) >= count ? true : undefined;
    }, `${count} attempt(s) of ${who}`);
  }
  return { city, code, cityName: divisionLabel(code), scope: `city:${code}`, enterprises: e };
}

/** Runs nightly-summary on the twin through Lambda's Invoke API, as `evidence nightly` does. */
export async function invokeNightly(
  twin: Twin,
  at: string,
): Promise<{
  summaries: { written: number; unchanged: number };
  periods: string[];
}> {
  const response = await fetch(`${twin.apiUrl}/2015-03-31/functions/nightly-summary/invocations`, { method: 'POST', body: JSON.stringify({ at }) });
  if (response.headers.get('x-amz-function-error')) throw new Error(`nightly-summary failed: ${await response.text()}`);
  return (await response.json()) as never;
}
