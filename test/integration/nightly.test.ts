/**
 * nightly-summary on the twin: deposits go through the real pipeline, the job runs through the
 * twin's Invoke API, and the summaries table and export bucket are read back.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoLedger } from '#adapters/dynamo-ledger.ts';
import { DynamoSummaries } from '#adapters/dynamo-summaries.ts';
import { DynamoPeriodReader } from '#adapters/period-reader.ts';
import { S3Exports } from '#adapters/s3-exports.ts';
import { runNightly } from '#app/nightly-summary.ts';
import { decideOnAttempt } from '#app/review-decision.ts';
import { SqsReviewQueue } from '#adapters/sqs-review-queue.ts';
import type { Principal } from '#domain/identity.ts';
import { DEFAULT_DEADLINE_RULES } from '#domain/deadline.ts';
import { bearer, signIn } from '../support/sign-in.ts';
import { eventually, testEnterprise, useTwin } from '../support/twin.ts';
import { depositFor, invokeNightly, NIGHT, PERIOD, seedCity } from './rates-fixture.ts';

const twin = useTwin();
let fixture: Awaited<ReturnType<typeof seedCity>>;

const summaryOf = async (scope: string, period: string) =>
  (
    await twin.clients.db.send(
      new GetCommand({
        TableName: twin.resources.tables.summaries,
        Key: { scope, period },
      }),
    )
  ).Item;

const exportText = async (key: string) =>
  (await (await twin.clients.s3.send(new GetObjectCommand({ Bucket: twin.resources.exportsBucket, Key: key }))).Body?.transformToString()) ?? '';

/**
 * Two 南昌 enterprises, obliged for January only and depositing nothing: one registered as 南昌
 * (through the registry adapter), one as 南昌市 / 江西省 written straight into the table the way
 * items were written before the registry carried codes (names, and the byProvince index keyed by
 * the province's name).
 */
const nanchang = {
  short: testEnterprise({ city: '南昌', name: '南昌简写电厂', obligedFrom: PERIOD, obligedUntil: PERIOD }),
  full: testEnterprise({ province: '江西省', city: '南昌市', name: '南昌全称电厂', obligedFrom: PERIOD, obligedUntil: PERIOD }),
};

async function seedNanchangBothWays() {
  await twin.registry.putAll([nanchang.short]);
  await twin.clients.db.send(new PutCommand({ TableName: twin.resources.tables.registry, Item: nanchang.full }));
}

beforeAll(async () => {
  // 济南 is this file's own city on the shared twin.
  fixture = await seedCity(twin, '济南');
  await seedNanchangBothWays();
  await invokeNightly(twin, NIGHT);
});

describe('the nightly summary', () => {
  it('stores the month’s counts and both rates for the city, as the definitions say', async () => {
    expect(await summaryOf(fixture.scope, PERIOD)).toMatchObject({
      obliged: 5,
      onTime: 3,
      late: 1,
      missing: 1,
      pending: 0,
      onTimeRate: 0.6,
      firstPassAccepted: 2,
      returned: 1,
      awaitingReview: 1,
      firstPassRate: 2 / 3,
      resubmitted: 1,
      attempts: 5,
      unobligedDeposits: 0,
      computedAt: new Date(NIGHT).toISOString(),
    });
  });

  it('counts problems by code and severity across every attempt of the month', async () => {
    const summary = await summaryOf(fixture.scope, PERIOD);
    expect(summary?.problems.byCode).toContainEqual({
      code: 'EVD-CROSS-SUPPLIED-GT-GENERATED',
      severity: 'error',
      count: 1,
    });
    expect(summary?.problems.bySeverity.warning).toBeGreaterThanOrEqual(1);
  });

  it('covers the last 13 periods: a month whose deadline has not passed is all pending, with no rate', async () => {
    expect(await summaryOf(fixture.scope, '2026-03')).toMatchObject({
      obliged: 5,
      pending: 5,
      onTimeRate: null,
      firstPassRate: null,
    });
    // The enterprise that left at the end of 2025 was still obliged then; the one that joined in 2026 was not.
    expect(await summaryOf(fixture.scope, '2025-03')).toMatchObject({
      obliged: 5,
      missing: 5,
      onTimeRate: 0,
    });
    expect(await summaryOf(fixture.scope, '2025-02')).toBeUndefined();
  });

  it('writes JSON and CSV exports per period, with formula-like names neutralised', async () => {
    const json = JSON.parse(await exportText(`exports/${PERIOD}/summary.json`)) as {
      summaries: { scope: string }[];
      standings: { enterpriseId: string; submission: string }[];
    };
    const csv = await exportText(`exports/${PERIOD}/enterprises.csv`);

    expect(json.summaries.map((s) => s.scope)).toContain(fixture.scope);
    expect(json.standings.find((s) => s.enterpriseId === fixture.enterprises.missing.enterpriseId)?.submission).toBe('missing');
    expect(csv).toContain(`${fixture.enterprises.corrected.enterpriseId},"'=HYPERLINK(""http://x"")退回电厂"`);
    expect(csv).not.toMatch(/,=HYPERLINK/);
    // …, firstPassAccepted, returned, withdrawn, awaitingReview, firstPassRatePercent, …
    expect(await exportText(`exports/${PERIOD}/summaries.csv`)).toContain(`${fixture.scope},${fixture.cityName},${PERIOD},5,3,1,1,0,60.00,2,1,0,1,66.67`);
  });

  it('is idempotent: running again later that night rewrites nothing of ours', async () => {
    const before = await summaryOf(fixture.scope, PERIOD);
    const csvBefore = await exportText(`exports/${PERIOD}/enterprises.csv`);

    await invokeNightly(twin, '2026-04-01T03:00:00+08:00');

    expect(await summaryOf(fixture.scope, PERIOD)).toEqual(before);
    expect(await exportText(`exports/${PERIOD}/enterprises.csv`)).toBe(csvBefore);
  });

  it('reads by Query and Get only — never a Scan — and reads each item at most once', async () => {
    const sent: string[] = [];
    const db = twin.clients.db;
    const spy = {
      send: (command: { constructor: { name: string } }) => {
        sent.push(command.constructor.name);
        return db.send(command as never);
      },
    } as unknown as typeof db;
    const reader = new DynamoPeriodReader(spy, twin.resources.tables);
    const run = await runNightly(
      {
        reader: () => reader,
        summaries: new DynamoSummaries(spy, twin.resources.tables.summaries),
        exports: new S3Exports(twin.clients.s3, twin.resources.exportsBucket),
        rules: DEFAULT_DEADLINE_RULES,
        periods: 13,
      },
      new Date(NIGHT),
    );

    expect(new Set(sent)).toEqual(new Set(['QueryCommand', 'PutCommand']));
    expect(run.itemsRead.deposits).toBe((await Promise.all(run.periods.map((p) => reader.recordsOf(p)))).flat().length);
  });

  it('counts enterprises registered as 南昌 and as 南昌市 in one city summary and one late list', async () => {
    const stored = (
      await twin.clients.db.send(new GetCommand({ TableName: twin.resources.tables.registry, Key: { enterpriseId: nanchang.short.enterpriseId } }))
    ).Item;
    expect(stored).toMatchObject({ province: '360000', city: '360100' });

    const json = JSON.parse(await exportText(`exports/${PERIOD}/summary.json`)) as {
      summaries: { scope: string; scopeName: string; missing: number }[];
      standings: { enterpriseId: string; city: string; cityName: string; submission: string }[];
    };
    const ours = json.standings.filter((s) => s.enterpriseId === nanchang.short.enterpriseId || s.enterpriseId === nanchang.full.enterpriseId);
    expect(ours.map((s) => [s.city, s.cityName, s.submission])).toEqual([
      ['360100', '南昌市', 'missing'],
      ['360100', '南昌市', 'missing'],
    ]);
    expect(json.summaries.filter((s) => s.scope.startsWith('city:') && s.scopeName === '南昌市').map((s) => s.scope)).toEqual(['city:360100']);
    expect(await summaryOf('city:南昌', PERIOD)).toBeUndefined();
    expect(await summaryOf('city:南昌市', PERIOD)).toBeUndefined();
    expect((await summaryOf('city:360100', PERIOD))?.missing).toBeGreaterThanOrEqual(2);

    const { accessToken } = await signIn(twin, 'dept-jiangxi');
    for (const spelling of ['city:南昌', 'city:南昌市', 'city:360100']) {
      const response = await fetch(`${twin.apiUrl}/late?period=${PERIOD}&scope=${encodeURIComponent(spelling)}`, { headers: bearer(accessToken) });
      const late = (await response.json()) as { scope: string; late: { enterpriseId: string }[] };
      expect(late.scope).toBe('city:360100');
      expect(late.late.map((s) => s.enterpriseId)).toEqual(expect.arrayContaining([nanchang.short.enterpriseId, nanchang.full.enterpriseId]));
    }
  });

  // Last: it moves the city's ledger on past NIGHT.
  it('gives, replayed as of last night, what last night gave: a deposit received and a decision taken since change nothing then', async () => {
    const before = await summaryOf(fixture.scope, PERIOD);
    const { inReview, missing } = fixture.enterprises;
    const [record] = await twin.ledger.depositsOf(inReview.enterpriseId, PERIOD);
    const attemptId = record?.attempts[0]?.attemptId ?? '';
    // 济南's city reviewer (as its token would read) accepts it now, after NIGHT; the missing enterprise deposits on 10 April.
    const reviewer: Principal = {
      role: 'reviewer',
      subject: 'li.wei',
      name: 'li.wei',
      level: 'city',
      jurisdiction: { kind: 'city', code: '370100', province: '370000' },
    };
    const decided = await decideOnAttempt(
      { store: twin.ledger, reviewQueue: new SqsReviewQueue(twin.clients.sqs, twin.resources.queues.review.url), now: () => new Date() },
      attemptId,
      { outcome: 'accept', comment: '化验报告已核实 / lab report checked', issueComments: [] },
      reviewer,
    );
    expect(decided.ok).toBe(true);
    await depositFor(twin, missing, '2026-04-10T10:00:00+08:00');
    await eventually(async () => ((await twin.ledger.depositsOf(missing.enterpriseId, PERIOD))[0]?.attempts.length ? true : undefined), 'the late deposit');

    const replay = await invokeNightly(twin, NIGHT);
    const replayed = await summaryOf(fixture.scope, PERIOD);
    await invokeNightly(twin, '2026-04-11T02:00:00+08:00');
    const afterTheDeposit = await summaryOf(fixture.scope, PERIOD);
    await invokeNightly(twin, new Date().toISOString());

    expect(replayed).toEqual(before);
    expect(replay.summaries.written).toBe(0);
    // The deposit counts from its receipt on; the decision, taken today, only from today.
    expect(afterTheDeposit).toMatchObject({ missing: 0, late: 2, awaitingReview: 1, firstPassAccepted: 3, attempts: 6 });
    expect(await summaryOf(fixture.scope, PERIOD)).toMatchObject({ missing: 0, late: 2, awaitingReview: 0, firstPassAccepted: 4, attempts: 6 });
  });
});
