/**
 * nightly-summary on the twin: deposits go through the real pipeline, the job runs through the
 * twin's Invoke API, and the summaries table and export bucket are read back.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoSummaries } from '#adapters/dynamo-summaries.ts';
import { DynamoPeriodReader } from '#adapters/period-reader.ts';
import { S3Exports } from '#adapters/s3-exports.ts';
import { runNightly } from '#app/nightly-summary.ts';
import { DEFAULT_DEADLINE_RULES } from '#domain/deadline.ts';
import { eventually, useTwin } from '../support/twin.ts';
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

beforeAll(async () => {
  fixture = await seedCity(twin);
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
    expect(await exportText(`exports/${PERIOD}/summaries.csv`)).toContain(`${fixture.scope},${PERIOD},5,3,1,1,0,60.00,2,1,0,1,66.67`);
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

  // Last: it moves the city's ledger on past NIGHT.
  it('gives, replayed as of last night, what last night gave: a deposit received and a decision taken since change nothing then', async () => {
    const before = await summaryOf(fixture.scope, PERIOD);
    const { inReview, missing } = fixture.enterprises;
    const [record] = await twin.ledger.depositsOf(inReview.enterpriseId, PERIOD);
    const attemptId = record?.attempts[0]?.attemptId ?? '';
    // The reviewer accepts it now (after NIGHT); the missing enterprise deposits on 10 April.
    const decided = await fetch(`${twin.apiUrl}/attempts/${attemptId}/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'accept', reviewer: 'li.wei', comment: '化验报告已核实 / lab report checked' }),
    });
    expect(decided.status).toBe(201);
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
