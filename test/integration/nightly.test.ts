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
import { useTwin } from '../support/twin.ts';
import { invokeNightly, NIGHT, PERIOD, seedCity } from './rates-fixture.ts';

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
    expect(await exportText(`exports/${PERIOD}/summaries.csv`)).toContain(`${fixture.scope},${PERIOD},5,3,1,1,0,60.00,2,1,1,66.67`);
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
        reader,
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
});
