/** The city league: ranked by on-time then first-pass rate, ties sharing a place, cities without figures last and unranked. */
import { describe, expect, it } from 'vitest';
import { type CityPeriodFigures, citiesOf, leagueCities, leagueOf, trendPeriods } from '#domain/league.ts';

const figures = (period: string, onTimeRate: number | null, firstPassRate: number | null, computedAt = '2026-03-01T18:00:00.000Z'): CityPeriodFigures => ({
  period,
  onTimeRate,
  firstPassRate,
  obliged: 5,
  computedAt,
});

describe('the cities a league lists', () => {
  it('lists each of Jiangxi’s eleven prefecture-level cities for the province, and a city alone for a city', () => {
    expect(citiesOf('360000')).toEqual(['360100', '360200', '360300', '360400', '360500', '360600', '360700', '360800', '360900', '361000', '361100']);
    expect(leagueCities({ kind: 'city', code: '360400', province: '360000' })).toEqual(['360400']);
  });

  it('reads the trend as the months ending with the period', () => {
    expect(trendPeriods('2026-02', 3)).toEqual(['2025-12', '2026-01', '2026-02']);
  });
});

describe('ranking', () => {
  it('ranks by on-time rate, then first-pass rate; equal rates share a place; no figures stand last without a rank', () => {
    // Prepare
    const stored = new Map([
      ['360100', [figures('2026-02', 0.8, 0.5), figures('2026-01', 0.6, 0.4)]],
      ['360200', [figures('2026-02', 1, 0.2, '2026-03-02T18:00:00.000Z')]],
      ['360300', [figures('2026-02', 0.8, 0.9)]],
      ['360400', [figures('2026-02', 0.8, 0.5)]],
    ]);

    // Act
    const league = leagueOf('2026-02', 2, ['360100', '360200', '360300', '360400', '360500'], stored);

    // Assess
    expect(league.rows.map((r) => [r.city, r.rank])).toEqual([
      ['360200', 1],
      ['360300', 2],
      ['360100', 3],
      ['360400', 3],
      ['360500', null],
    ]);
    expect(league.rows[2]).toMatchObject({
      cityName: '南昌市',
      onTimeRate: 0.8,
      computedAt: '2026-03-01T18:00:00.000Z',
      trend: [
        { period: '2026-01', onTimeRate: 0.6, firstPassRate: 0.4 },
        { period: '2026-02', onTimeRate: 0.8, firstPassRate: 0.5 },
      ],
    });
    expect(league.rows[4]).toMatchObject({ cityName: '新余市', onTimeRate: null, firstPassRate: null, obliged: null, computedAt: null });
    expect(league.computedAt).toBe('2026-03-02T18:00:00.000Z');
  });

  it('puts a city whose first-pass rate is unknown after one with the same on-time rate and a known one', () => {
    const league = leagueOf(
      '2026-02',
      1,
      ['360100', '360200'],
      new Map([
        ['360100', [figures('2026-02', 0.5, null)]],
        ['360200', [figures('2026-02', 0.5, 0)]],
      ]),
    );

    expect(league.rows.map((r) => [r.city, r.rank])).toEqual([
      ['360200', 1],
      ['360100', 2],
    ]);
  });
});
