/** The rate definitions (docs/rates.md) on hand-built registries and ledgers. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEADLINE_RULES, DeadlineRulesSchema } from '#domain/deadline.ts';
import type { Verdict } from '#domain/issues.ts';
import {
  inScope,
  lastEndedPeriod,
  lateList,
  type ProblemRef,
  periodsToSummarise,
  type RatedRecord,
  SummaryScopeSchema,
  scopesOf,
  standingsFor,
  summarisePeriod,
} from '#domain/rates.ts';
import { periodExports } from '#domain/summary-export.ts';
import { creditCodeCheckChar, type Enterprise } from '#domain/registry.ts';
import { demoEnterprises } from '#twin/demo.ts';

const PERIOD = '2026-01';
// January 2026 is due by the end of 12 March, Asia/Shanghai: 16:00 UTC on 12 March is the first late instant.
const DUE = '2026-03-12T16:00:00.000Z';
const AFTER_DEADLINE = new Date('2026-04-01T02:00:00+08:00');

function code(n: number): string {
  const first17 = `91360100${String(n).padStart(9, '0')}`;
  return first17 + creditCodeCheckChar(first17);
}

function enterprise(n: number, overrides: Partial<Enterprise> = {}): Enterprise {
  return {
    enterpriseId: code(n),
    name: `企业${n}`,
    province: '江西',
    city: n % 2 ? '南昌' : '九江',
    industry: 'power',
    units: [{ unitId: '1', fuel: 'coal', capacityMW: 600 }],
    obligedFrom: '2025-01',
    ...overrides,
  };
}

type AttemptSpec = {
  at: string;
  verdict: Verdict;
  escalated?: boolean;
  id?: string;
  /** A reviewer's decision: when, and what the machine had said before it. */
  decidedAt?: string;
  machineVerdict?: Verdict;
  escalatedAt?: string;
};

function record(e: Enterprise, attempts: AttemptSpec[], period = PERIOD): RatedRecord {
  return {
    enterpriseId: e.enterpriseId,
    period,
    province: e.province,
    city: e.city,
    industry: e.industry,
    version: attempts.length,
    attempts: attempts.map((a, i) => ({
      attemptId: a.id ?? `${e.enterpriseId}-${i}`,
      reportKey: `reports/${e.enterpriseId}/${period}/${i}/report.json`,
      receivedAt: new Date(a.at).toISOString(),
      onTime: true,
      verdict: a.verdict,
      errors: 0,
      warnings: 0,
      ...(a.escalated !== undefined ? { escalated: a.escalated } : {}),
      ...(a.decidedAt !== undefined ? { decidedAt: new Date(a.decidedAt).toISOString() } : {}),
      ...(a.machineVerdict !== undefined ? { machineVerdict: a.machineVerdict } : {}),
      ...(a.escalatedAt !== undefined ? { escalatedAt: new Date(a.escalatedAt).toISOString() } : {}),
    })),
  };
}

function summary(
  registry: Enterprise[],
  records: RatedRecord[],
  now = AFTER_DEADLINE,
  problems = new Map<string, ProblemRef[]>(),
  rules = DEFAULT_DEADLINE_RULES,
) {
  const result = summarisePeriod({
    period: PERIOD,
    registry,
    records,
    problems,
    rules,
    now,
  });
  const all = result.summaries.find((s) => s.scope === 'all');
  if (!all) throw new Error('no "all" summary');
  return { ...result, all };
}

describe('the on-time rate', () => {
  it('counts a deposit received at 23:59:59 on the last day as on time and one second later as late', () => {
    const [a, b] = [enterprise(1), enterprise(2)];
    const { all, standings } = summary(
      [a, b],
      [record(a, [{ at: '2026-03-12T23:59:59+08:00', verdict: 'accepted' }]), record(b, [{ at: '2026-03-13T00:00:00+08:00', verdict: 'accepted' }])],
    );

    expect(all).toMatchObject({
      obliged: 2,
      onTime: 1,
      late: 1,
      missing: 0,
      pending: 0,
      onTimeRate: 0.5,
    });
    expect(standings.find((s) => s.enterpriseId === b.enterpriseId)).toMatchObject({
      submission: 'late',
      lateBySeconds: 0,
      dueAt: DUE,
      lastDay: '2026-03-12',
    });
  });

  it('judges the deadline in Asia/Shanghai: 00:30 on 13 March Beijing time is late although still 12 March in UTC', () => {
    const a = enterprise(1);
    const { all, standings } = summary([a], [record(a, [{ at: '2026-03-12T16:30:00Z', verdict: 'accepted' }])]);

    expect(all).toMatchObject({ onTime: 0, late: 1, onTimeRate: 0 });
    expect(standings[0]?.lateBySeconds).toBe(1800);
  });

  it('counts 23:30 UTC on 11 March (07:30 on 12 March in Beijing) as on time', () => {
    const a = enterprise(1);
    expect(summary([a], [record(a, [{ at: '2026-03-11T23:30:00Z', verdict: 'accepted' }])]).all.onTimeRate).toBe(1);
  });

  it('leaves an enterprise that deposited nothing pending before the deadline, outside the rate', () => {
    const [a, b] = [enterprise(1), enterprise(2)];
    const beforeDeadline = new Date('2026-03-12T23:00:00+08:00');
    const { all } = summary([a, b], [record(a, [{ at: '2026-02-20T10:00:00+08:00', verdict: 'accepted' }])], beforeDeadline);

    expect(all).toMatchObject({
      obliged: 2,
      onTime: 1,
      pending: 1,
      missing: 0,
      onTimeRate: 1,
    });
  });

  it('counts the same enterprise as missing, against the rate, from the first late instant, overdue since then', () => {
    const [a, b] = [enterprise(1), enterprise(2)];
    const { all, standings } = summary([a, b], [record(a, [{ at: '2026-02-20T10:00:00+08:00', verdict: 'accepted' }])], new Date('2026-03-13T01:00:00+08:00'));

    expect(all).toMatchObject({
      onTime: 1,
      pending: 0,
      missing: 1,
      onTimeRate: 0.5,
    });
    expect(lateList(standings)).toEqual([
      expect.objectContaining({
        enterpriseId: b.enterpriseId,
        submission: 'missing',
        lateBySeconds: 3600,
      }),
    ]);
  });

  it('judges timeliness by the first deposit only: a late correction does not undo an on-time first deposit', () => {
    const a = enterprise(1);
    const { all } = summary(
      [a],
      [
        record(a, [
          { at: '2026-03-01T10:00:00+08:00', verdict: 'returned' },
          { at: '2026-03-20T10:00:00+08:00', verdict: 'accepted' },
        ]),
      ],
    );

    expect(all).toMatchObject({
      onTime: 1,
      late: 0,
      resubmitted: 1,
      attempts: 2,
    });
  });

  it('applies a city cut-off (20 days) and a holiday extension granted after the fact', () => {
    const [nanchang, jiujiang] = [enterprise(1), enterprise(2)];
    const rules = DeadlineRulesSchema.parse({
      scopes: [{ scope: 'city:南昌', days: 20 }],
      extensions: [{ period: PERIOD, scope: 'city:九江', lastDay: '2026-03-20' }],
    });
    const at = '2026-03-15T10:00:00+08:00';
    const { standings } = summary(
      [nanchang, jiujiang],
      [record(nanchang, [{ at, verdict: 'accepted' }]), record(jiujiang, [{ at, verdict: 'accepted' }])],
      AFTER_DEADLINE,
      new Map(),
      rules,
    );

    expect(standings.map((s) => [s.city, s.cityName, s.submission, s.lastDay])).toEqual([
      ['360100', '南昌市', 'late', '2026-02-20'],
      ['360400', '九江市', 'on-time', '2026-03-20'],
    ]);
  });
});

describe('the registry as denominator', () => {
  it('obliges an enterprise from the month it joins and until the month it leaves, and only then', () => {
    const joins = enterprise(1, { obligedFrom: '2026-02' });
    const leaves = enterprise(2, {
      obligedFrom: '2025-01',
      obligedUntil: '2025-12',
    });
    const stays = enterprise(3, {
      obligedFrom: '2025-01',
      obligedUntil: '2026-01',
    });
    const { all } = summary(
      [joins, leaves, stays],
      [record(joins, [{ at: '2026-02-01T10:00:00+08:00', verdict: 'accepted' }]), record(stays, [{ at: '2026-02-01T10:00:00+08:00', verdict: 'accepted' }])],
    );

    expect(all).toMatchObject({
      obliged: 1,
      onTime: 1,
      missing: 0,
      onTimeRate: 1,
      firstPassAccepted: 1,
      unobligedDeposits: 1,
    });
  });

  it('gives a null rate, not 0 or 100%, to a scope where nothing can be rated yet', () => {
    const { all } = summary([enterprise(1)], [], new Date('2026-02-10T00:00:00+08:00'));
    expect(all).toMatchObject({
      obliged: 1,
      pending: 1,
      onTimeRate: null,
      firstPassRate: null,
    });
  });

  it('summarises every province, city and industry that has an obliged enterprise', () => {
    const registry = [enterprise(1), enterprise(2), enterprise(3, { province: '广西', city: '南宁', industry: 'cement' })];
    const { summaries } = summary(registry, []);
    // Scopes are GB/T 2260 codes: 360100 南昌市, 360400 九江市, 450100 南宁市.
    expect(summaries.map((s) => [s.scope, s.obliged])).toEqual([
      ['all', 3],
      ['city:360100', 1],
      ['city:360400', 1],
      ['city:450100', 1],
      ['industry:cement', 1],
      ['industry:power', 2],
      ['province:360000', 2],
      ['province:450000', 1],
    ]);
  });
});

describe('the first-pass rate', () => {
  it('rates first attempts with a final outcome and reports those awaiting review apart', () => {
    const [a, b, c, d] = [enterprise(1), enterprise(2), enterprise(3), enterprise(4)];
    const at = '2026-02-10T10:00:00+08:00';
    const { all } = summary(
      [a, b, c, d],
      [
        record(a, [{ at, verdict: 'accepted' }]),
        record(b, [
          { at, verdict: 'returned' },
          { at: '2026-02-12T10:00:00+08:00', verdict: 'accepted' },
        ]),
        record(c, [{ at, verdict: 'needs-review' }]),
      ],
    );

    expect(all).toMatchObject({
      firstPassAccepted: 1,
      returned: 1,
      awaitingReview: 1,
      firstPassRate: 0.5,
      missing: 1,
    });
  });

  it('counts a resubmission after a return against the first pass even when the correction is accepted', () => {
    const a = enterprise(1);
    const { all } = summary(
      [a],
      [
        record(a, [
          { at: '2026-02-10T10:00:00+08:00', verdict: 'returned' },
          { at: '2026-02-11T10:00:00+08:00', verdict: 'accepted' },
        ]),
      ],
    );
    expect(all).toMatchObject({
      firstPassAccepted: 0,
      returned: 1,
      firstPassRate: 0,
      resubmitted: 1,
    });
  });

  it('keeps a review still pending at night out of the rate, and counts the reviewer’s later decision', () => {
    const [a, b] = [enterprise(1), enterprise(2)];
    const at = '2026-02-10T10:00:00+08:00';
    const night = summary([a, b], [record(a, [{ at, verdict: 'accepted' }]), record(b, [{ at, verdict: 'needs-review' }])]).all;
    const morning = summary([a, b], [record(a, [{ at, verdict: 'accepted' }]), record(b, [{ at, verdict: 'accepted', escalated: true }])]).all;

    expect(night).toMatchObject({
      firstPassRate: 1,
      awaitingReview: 1,
      firstPassAccepted: 1,
    });
    expect(morning).toMatchObject({
      firstPassRate: 1,
      awaitingReview: 0,
      firstPassAccepted: 2,
      escalated: 1,
    });
  });

  it('orders attempts by receipt, as the ledger stores them: the earliest is the first pass', () => {
    const a = enterprise(1);
    const { standings } = summary(
      [a],
      [
        record(a, [
          { at: '2026-02-10T10:00:00+08:00', verdict: 'returned' },
          { at: '2026-02-10T10:00:01+08:00', verdict: 'accepted' },
        ]),
      ],
    );
    expect(standings[0]).toMatchObject({
      firstPass: 'returned',
      latestVerdict: 'accepted',
      attempts: 2,
    });
  });
});

describe('problem counts', () => {
  it('counts every problem of every attempt by code and severity, most frequent first', () => {
    const [a, b] = [enterprise(1), enterprise(2)];
    const at = '2026-02-10T10:00:00+08:00';
    const problems = new Map<string, ProblemRef[]>([
      [
        'a-1',
        [
          { code: 'EVD-CROSS-SUPPLIED-GT-GENERATED', severity: 'error' },
          { code: 'EVD-NCV-ATYPICAL', severity: 'warning' },
        ],
      ],
      ['b-1', [{ code: 'EVD-CROSS-SUPPLIED-GT-GENERATED', severity: 'error' }]],
    ]);
    const { summaries } = summary(
      [a, b],
      [
        record(a, [
          { at, verdict: 'returned', id: 'a-1' },
          { at: '2026-02-11T10:00:00+08:00', verdict: 'accepted', id: 'a-2' },
        ]),
        record(b, [{ at, verdict: 'returned', id: 'b-1' }]),
      ],
      AFTER_DEADLINE,
      problems,
    );

    expect(summaries.find((s) => s.scope === 'all')?.problems).toEqual({
      total: 3,
      bySeverity: { error: 2, warning: 1, info: 0 },
      byCode: [
        {
          code: 'EVD-CROSS-SUPPLIED-GT-GENERATED',
          severity: 'error',
          count: 2,
        },
        { code: 'EVD-NCV-ATYPICAL', severity: 'warning', count: 1 },
      ],
    });
    expect(summaries.find((s) => s.scope === 'city:360400')?.problems.total).toBe(1);
  });
});

describe('which periods the nightly job summarises', () => {
  it('ends with the month that has ended in Beijing, even while it is still that month in UTC', () => {
    expect(lastEndedPeriod(new Date('2026-03-31T16:30:00Z'))).toBe('2026-03');
    expect(lastEndedPeriod(new Date('2026-03-31T15:59:59Z'))).toBe('2026-02');
    expect(periodsToSummarise(new Date('2026-01-01T02:00:00+08:00'), 13)).toEqual([
      '2024-12',
      '2025-01',
      '2025-02',
      '2025-03',
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
    ]);
  });

  it('lists only obliged enterprises, in registry order', () => {
    const standings = standingsFor({
      period: PERIOD,
      registry: [enterprise(2), enterprise(1, { obligedFrom: '2027-01' })],
      records: [],
      rules: DEFAULT_DEADLINE_RULES,
      now: AFTER_DEADLINE,
    });
    expect(standings.map((s) => s.enterpriseId)).toEqual([code(2)]);
  });
});

describe('as of an instant', () => {
  const T = new Date('2026-03-15T02:00:00+08:00');

  it('does not see an attempt received after the instant: the enterprise is missing then, and its correction is no attempt yet', () => {
    const [a, b] = [enterprise(1), enterprise(2)];
    const { all, standings } = summary(
      [a, b],
      [
        record(a, [
          { at: '2026-03-01T10:00:00+08:00', verdict: 'returned' },
          { at: '2026-03-16T10:00:00+08:00', verdict: 'accepted' },
        ]),
        record(b, [{ at: '2026-03-20T10:00:00+08:00', verdict: 'accepted' }]),
      ],
      T,
    );

    expect(all).toMatchObject({ onTime: 1, late: 0, missing: 1, attempts: 1, resubmitted: 0, returned: 1, firstPassAccepted: 0 });
    expect(standings.find((s) => s.enterpriseId === b.enterpriseId)).toMatchObject({
      submission: 'missing',
      // Overdue from the end of 12 March (Beijing) to 02:00 on 15 March.
      lateBySeconds: 2 * 86_400 + 2 * 3600,
    });
    expect(standings.find((s) => s.enterpriseId === a.enterpriseId)).toMatchObject({ attempts: 1, latestVerdict: 'returned' });
  });

  it('leaves a reviewer’s decision taken after the instant unmade: the attempt is as the machine left it, awaiting review', () => {
    const a = enterprise(1);
    const decided = record(a, [
      { at: '2026-03-01T10:00:00+08:00', verdict: 'accepted', machineVerdict: 'needs-review', decidedAt: '2026-03-16T09:00:00+08:00' },
    ]);

    expect(summary([a], [decided], T).all).toMatchObject({ awaitingReview: 1, firstPassAccepted: 0, firstPassRate: null });
    expect(summary([a], [decided], T).standings[0]?.latestVerdict).toBe('needs-review');
    expect(summary([a], [decided], new Date('2026-03-16T09:00:00+08:00')).all).toMatchObject({ awaitingReview: 0, firstPassAccepted: 1, firstPassRate: 1 });
  });

  it('takes a summary without the machine’s verdict (recorded before it was kept) as its verdict', () => {
    const a = enterprise(1);
    const legacy = record(a, [{ at: '2026-03-01T10:00:00+08:00', verdict: 'returned', decidedAt: '2026-03-16T09:00:00+08:00' }]);
    expect(summary([a], [legacy], T).all).toMatchObject({ returned: 1, awaitingReview: 0 });
  });

  it('does not count an escalation made after the instant', () => {
    const a = enterprise(1);
    const escalated = record(a, [{ at: '2026-03-01T10:00:00+08:00', verdict: 'needs-review', escalated: true, escalatedAt: '2026-03-15T09:00:00+08:00' }]);
    expect(summary([a], [escalated], T).all.escalated).toBe(0);
    expect(summary([a], [escalated], new Date('2026-03-15T09:00:00+08:00')).all.escalated).toBe(1);
  });

  it('gives, replayed later, exactly what a run at that instant gave, whatever was received or decided since', () => {
    const [a, b, c, d] = [enterprise(1), enterprise(2), enterprise(3), enterprise(4)];
    const problems = new Map<string, ProblemRef[]>([
      [`${c.enterpriseId}-0`, [{ code: 'EVD-NCV-ATYPICAL', severity: 'warning' }]],
      [`${d.enterpriseId}-0`, [{ code: 'EVD-CROSS-SUPPLIED-GT-GENERATED', severity: 'error' }]],
    ]);
    const then = [
      record(a, [{ at: '2026-03-01T10:00:00+08:00', verdict: 'needs-review' }]),
      record(b, [{ at: '2026-03-02T10:00:00+08:00', verdict: 'returned' }]),
      record(c, [{ at: '2026-03-03T10:00:00+08:00', verdict: 'needs-review' }]),
    ];
    const later = [
      // Decided and escalated after T.
      record(a, [
        {
          at: '2026-03-01T10:00:00+08:00',
          verdict: 'returned',
          machineVerdict: 'needs-review',
          decidedAt: '2026-03-18T10:00:00+08:00',
          escalated: true,
          escalatedAt: '2026-03-16T10:00:00+08:00',
        },
      ]),
      // Corrected after T.
      record(b, [
        { at: '2026-03-02T10:00:00+08:00', verdict: 'returned' },
        { at: '2026-03-17T10:00:00+08:00', verdict: 'accepted' },
      ]),
      // Superseded after T.
      record(c, [
        { at: '2026-03-03T10:00:00+08:00', verdict: 'needs-review' },
        { at: '2026-03-19T10:00:00+08:00', verdict: 'accepted' },
      ]),
      // First deposited after T.
      record(d, [{ at: '2026-03-21T10:00:00+08:00', verdict: 'returned' }]),
    ];
    const registry = [a, b, c, d];

    const replayed = summarisePeriod({ period: PERIOD, registry, records: later, problems, rules: DEFAULT_DEADLINE_RULES, now: T });
    const atTheTime = summarisePeriod({ period: PERIOD, registry, records: then, problems, rules: DEFAULT_DEADLINE_RULES, now: T });

    expect(replayed).toEqual(atTheTime);
    expect(replayed.summaries[0]).toMatchObject({ awaitingReview: 2, returned: 1, withdrawn: 0, missing: 1, escalated: 0, attempts: 3 });
  });
});

describe('a first attempt superseded before any reviewer decided it', () => {
  const superseded = (first: Partial<AttemptSpec> = {}) => {
    const a = enterprise(1);
    return {
      a,
      records: [
        record(a, [
          { at: '2026-03-01T10:00:00+08:00', verdict: 'needs-review', ...first },
          { at: '2026-03-05T10:00:00+08:00', verdict: 'accepted' },
        ]),
      ],
    };
  };

  it('counts as withdrawn, not passed: in the first-pass denominator, no longer awaiting review', () => {
    const { a, records } = superseded();
    const { all, standings } = summary([a, enterprise(2)], [...records, record(enterprise(2), [{ at: '2026-03-01T10:00:00+08:00', verdict: 'accepted' }])]);

    expect(standings[0]?.firstPass).toBe('withdrawn');
    expect(all).toMatchObject({ firstPassAccepted: 1, returned: 0, withdrawn: 1, awaitingReview: 0, firstPassRate: 0.5 });
  });

  it('is still awaiting review as of an instant before the new deposit arrived', () => {
    const { a, records } = superseded();
    expect(summary([a], records, new Date('2026-03-04T00:00:00+08:00')).all).toMatchObject({ withdrawn: 0, awaitingReview: 1, firstPassRate: null });
  });

  it('is not rescued by a decision taken after the new deposit', () => {
    const { a, records } = superseded({ verdict: 'accepted', machineVerdict: 'needs-review', decidedAt: '2026-03-06T10:00:00+08:00' });
    expect(summary([a], records).all).toMatchObject({ firstPassAccepted: 0, withdrawn: 1, firstPassRate: 0 });
  });

  it('keeps a decision taken before the new deposit, and a machine’s return', () => {
    const decided = superseded({ verdict: 'accepted', machineVerdict: 'needs-review', decidedAt: '2026-03-02T10:00:00+08:00' });
    const machineReturned = superseded({ verdict: 'returned' });
    expect(summary([decided.a], decided.records).all).toMatchObject({ firstPassAccepted: 1, withdrawn: 0 });
    expect(summary([machineReturned.a], machineReturned.records).all).toMatchObject({ returned: 1, withdrawn: 0 });
  });

  it('shows the withdrawal in the exports: a summaries column and the enterprise’s first pass', () => {
    const { a, records } = superseded();
    const result = summarisePeriod({ period: PERIOD, registry: [a], records, problems: new Map(), rules: DEFAULT_DEADLINE_RULES, now: AFTER_DEADLINE });
    const [json, summaries, enterprises] = periodExports('exports/', PERIOD, result).map((f) => f.body);
    const [header = '', row = ''] = (summaries ?? '').replace('\uFEFF', '').split('\r\n');
    const column = header.split(',').indexOf('withdrawn');

    expect(column).toBeGreaterThan(0);
    expect(row.split(',')[column]).toBe('1');
    expect(enterprises).toContain(',withdrawn,2,');
    expect(JSON.parse(json ?? '{}').summaries[0]).toMatchObject({ withdrawn: 1, firstPassRate: 0 });
  });
});

describe('one city is one scope', () => {
  it('counts enterprises registered as 南昌, 南昌市 and 南昌市生态环境局 in one city summary and one late list', () => {
    const registry = [
      enterprise(1, { city: '南昌' }),
      enterprise(3, { city: '南昌市', province: '江西省' }),
      enterprise(5, { city: '南昌市生态环境局' }),
      enterprise(7, { city: '360100', province: '360000' }),
    ];
    const { summaries, standings } = summary(registry, [record(registry[0] as Enterprise, [{ at: '2026-02-10T10:00:00+08:00', verdict: 'accepted' }])]);

    expect(summaries.filter((s) => s.scope.startsWith('city:')).map((s) => [s.scope, s.obliged, s.onTime, s.missing])).toEqual([['city:360100', 4, 1, 3]]);
    expect(summaries.filter((s) => s.scope.startsWith('province:')).map((s) => s.scope)).toEqual(['province:360000']);
    expect(lateList(standings).map((s) => [s.city, s.cityName, s.provinceName])).toEqual([
      ['360100', '南昌市', '江西省'],
      ['360100', '南昌市', '江西省'],
      ['360100', '南昌市', '江西省'],
    ]);
  });

  it('counts an unobliged deposit whose old record names its city under that city’s code', () => {
    const stranger = enterprise(9, { city: '九江市', obligedFrom: '2027-01' });
    const { summaries } = summary([enterprise(2)], [record(stranger, [{ at: '2026-02-10T10:00:00+08:00', verdict: 'accepted' }])]);
    expect(summaries.find((s) => s.scope === 'city:360400')?.unobligedDeposits).toBe(1);
  });

  it('parses a scope written with a name to the code, and refuses a city that does not exist', () => {
    expect(SummaryScopeSchema.parse('city:南昌')).toBe('city:360100');
    expect(SummaryScopeSchema.parse('city:南昌市生态环境局')).toBe('city:360100');
    expect(SummaryScopeSchema.parse('province:江西')).toBe('province:360000');
    expect(SummaryScopeSchema.parse('city:360100')).toBe('city:360100');
    expect(SummaryScopeSchema.parse('industry:power')).toBe('industry:power');
    const unknown = SummaryScopeSchema.safeParse('city:南仓');
    expect(unknown.success).toBe(false);
    expect(unknown.error?.issues[0]?.message).toBe('未知的城市 / unknown city: 南仓');
    expect(SummaryScopeSchema.safeParse('province:火星').error?.issues[0]?.message).toBe('未知的省份 / unknown province: 火星');
  });

  it('makes the demo’s 南昌 and 南昌市 enterprises one city: Jiangxi’s 11 cities, one scope each', () => {
    const demo = demoEnterprises(53, '2025-01');
    expect(new Set(demo.filter((e) => e.enterpriseId.slice(2, 8) === '360100').map((e) => e.city))).toEqual(new Set(['南昌', '南昌市']));
    const { summaries } = summary(demo, []);
    const cities = summaries.filter((s) => s.scope.startsWith('city:'));
    expect(cities).toHaveLength(11);
    expect(cities.find((s) => s.scope === 'city:360100')?.obliged).toBe(5);
    expect(summaries.filter((s) => s.scope.startsWith('province:')).map((s) => [s.scope, s.obliged])).toEqual([['province:360000', 53]]);
  });

  it('puts an enterprise in the same scopes whichever way its place is written', () => {
    const byName = scopesOf({ province: '江西', city: '南昌', industry: 'power' });
    expect(byName).toEqual(['all', 'province:360000', 'city:360100', 'industry:power']);
    expect(scopesOf({ province: '江西省', city: '南昌市', industry: 'power' })).toEqual(byName);
    expect(inScope({ province: '360000', city: '360100', industry: 'power' }, 'city:南昌')).toBe(true);
    expect(inScope({ province: '360000', city: '360100', industry: 'power' }, 'city:九江')).toBe(false);
  });
});
