/** The reconcile handler: which time bound each event gets, and that it reports the use case's summary. */
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { AnnouncedUpload, AttemptLocation, ReportObject } from '#app/ports.ts';
import { makeHandler } from '#functions/reconcile/make-handler.ts';
import { observability } from '#lambda/middy.ts';

const NOW = new Date('2026-05-20T00:00:00Z');
const context = { functionName: 'reconcile', awsRequestId: 'r1' } as Context;

function run(event: unknown, objects: ReportObject[]) {
  const sinceSeen: (Date | undefined)[] = [];
  const announced: AnnouncedUpload[] = [];
  const handler = makeHandler(
    {
      reports: {
        async *pages(since?: Date) {
          sinceSeen.push(since);
          yield objects;
        },
        receiptTimeOf: async (o) => o.lastModified,
      },
      attempts: { recorded: async (_: readonly AttemptLocation[]) => new Set<string>() },
      intake: { announce: async (u) => void announced.push(...u) },
      lookbackDays: 45,
      now: () => NOW,
    },
    observability('reconcile-test'),
  );
  return { result: handler(event, context), sinceSeen, announced };
}

const object = (lastModified: string): ReportObject => ({
  key: `reports/91360100MA35XXXXXN/2026-03/d-${lastModified}/r.csv`,
  eTag: 'e',
  size: 1,
  lastModified,
});

describe('the reconcile handler', () => {
  it('looks back the configured 45 days on a scheduled event', async () => {
    const { result, sinceSeen } = await run({}, [object('2026-05-01T00:00:00.000Z'), object('2026-01-01T00:00:00.000Z')]);

    expect(await result).toMatchObject({ since: '2026-04-05T00:00:00.000Z', listed: 1, announced: 1 });
    expect(sinceSeen).toEqual([new Date('2026-04-05T00:00:00.000Z')]);
  });

  it('takes the whole bucket with `all` and a named bound with `since`', async () => {
    const all = run({ all: true }, [object('2020-01-01T00:00:00.000Z')]);
    expect(await all.result).toMatchObject({ since: null, listed: 1, announced: 1 });
    const since = run({ since: '2026-05-10T08:00:00+08:00' }, [object('2026-05-09T00:00:00.000Z')]);
    expect(await since.result).toMatchObject({ since: '2026-05-10T00:00:00.000Z', listed: 0 });
  });

  it('refuses a malformed `since` instead of reconciling everything', async () => {
    await expect(run({ since: 'yesterday' }, []).result).rejects.toThrow();
  });
});
