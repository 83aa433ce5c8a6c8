/** Each province's and city's own export files hold only what lies within it. */
import { describe, expect, it } from 'vitest';
import type { PeriodResult, PeriodSummary, Standing } from '#domain/rates.ts';
import { scopeExportFolder, scopeExports } from '#domain/scope-exports.ts';

const summary = (scope: string) =>
  ({
    scope,
    period: '2026-01',
    obliged: 1,
    onTimeRate: 1,
    firstPassRate: 1,
    problems: { total: 0, bySeverity: { error: 0, warning: 0, info: 0 }, byCode: [] },
  }) as unknown as PeriodSummary;
const standing = (enterpriseId: string, province: string, city: string) =>
  ({ enterpriseId, name: enterpriseId, province, city, provinceName: '', cityName: '', period: '2026-01' }) as unknown as Standing;

describe('scope exports', () => {
  it('writes a folder per province and city scope, each with only its own summaries and enterprises', () => {
    // Prepare
    const result: PeriodResult = {
      summaries: ['all', 'province:360000', 'city:360100', 'city:360400', 'province:440000', 'city:440100', 'industry:power'].map(summary),
      standings: [standing('NC', '360000', '360100'), standing('JJ', '360000', '360400'), standing('GZ', '440000', '440100')],
    };

    // Act
    const files = scopeExports('exports/', '2026-01', result);

    // Assess
    expect(new Set(files.map((f) => f.key.slice(0, f.key.lastIndexOf('/') + 1)))).toEqual(
      new Set(['province:360000', 'city:360100', 'city:360400', 'province:440000', 'city:440100'].map((s) => scopeExportFolder('exports/', '2026-01', s))),
    );
    const jiangxi = JSON.parse(files.find((f) => f.key === 'exports/2026-01/scopes/province-360000/summary.json')?.body ?? '{}') as {
      summaries: { scope: string }[];
      standings: { enterpriseId: string }[];
    };
    expect(jiangxi.summaries.map((s) => s.scope)).toEqual(['province:360000', 'city:360100', 'city:360400']);
    expect(jiangxi.standings.map((s) => s.enterpriseId)).toEqual(['NC', 'JJ']);
    const nanchang = files.find((f) => f.key === 'exports/2026-01/scopes/city-360100/enterprises.csv')?.body ?? '';
    expect(nanchang).toContain('NC');
    expect(nanchang).not.toContain('JJ');
  });
});
