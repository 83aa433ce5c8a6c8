/** The reconciliation with fake ports: what is announced, with which time, and what is left alone. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AnnouncedUpload, AttemptIndex, AttemptLocation, IntakeAnnouncer, ReportObject, ReportObjects } from '#app/ports.ts';
import { UNATTRIBUTED } from '#app/record-deposit.ts';
import { attemptLocationOf, reconcileDeposits } from '#app/reconcile-deposits.ts';
import { reportUploadsIn } from '#lambda/s3-events.ts';
import { s3EventMessageOf } from '#adapters/sqs-intake-announcer.ts';
import { attemptIdOf } from '#domain/attempt.ts';

const ENTERPRISE = '91360100MA35XXXXXN';
const sha = (t: string) => createHash('sha256').update(t).digest('hex');

function object(n: number, overrides: Partial<ReportObject> = {}): ReportObject {
  return {
    key: `reports/${ENTERPRISE}/2026-03/d${n}/report.csv`,
    eTag: `etag${n}`,
    size: 100 + n,
    lastModified: `2026-04-0${(n % 9) + 1}T02:00:00.000Z`,
    ...overrides,
  };
}

function fakes(pages: ReportObject[][], recordedIds: string[] = [], receipt?: (o: ReportObject) => string) {
  const asked: AttemptLocation[][] = [];
  const announced: AnnouncedUpload[] = [];
  const reports: ReportObjects = {
    async *pages() {
      for (const page of pages) yield page;
    },
    receiptTimeOf: async (o) => receipt?.(o) ?? o.lastModified,
  };
  const recorded = new Set(recordedIds);
  const attempts: AttemptIndex = {
    recorded: async (locations) => {
      asked.push([...locations]);
      return new Set(locations.filter((l) => recorded.has(l.attemptId)).map((l) => l.attemptId));
    },
  };
  const intake: IntakeAnnouncer = {
    announce: async (uploads) => {
      announced.push(...uploads);
      for (const u of uploads) recorded.add(attemptIdOf(sha, u.key, u.versionId ?? u.eTag));
    },
  };
  return { deps: { reports, attempts, intake }, asked, announced };
}

describe('reconciling the bucket with the attempts table', () => {
  it('announces every listed upload without an attempt, with the object time as the event time', async () => {
    const objects = [object(1), object(2), object(3, { versionId: 'v3' })];
    const { deps, announced } = fakes([objects], [attemptLocationOf(objects[1] as ReportObject).attemptId]);

    const summary = await reconcileDeposits(deps);

    expect(summary).toMatchObject({ listed: 3, recorded: 1, announced: 2 });
    expect(announced).toEqual([
      { key: objects[0]?.key, size: 101, eTag: 'etag1', eventTime: objects[0]?.lastModified },
      { key: objects[2]?.key, size: 103, eTag: 'etag3', versionId: 'v3', eventTime: objects[2]?.lastModified },
    ]);
  });

  it('announces the receipt time the store gives (the twin’s simulated one), not the time of the run', async () => {
    const { deps, announced } = fakes([[object(1)]], [], () => '2026-03-20T02:00:00.000Z');

    await reconcileDeposits(deps);

    expect(announced[0]?.eventTime).toBe('2026-03-20T02:00:00.000Z');
  });

  it('locates attempts as intake records them: the version, else the ETag; unparseable keys under UNATTRIBUTED', () => {
    const versioned = attemptLocationOf(object(1, { versionId: 'v1' }));
    const unversioned = attemptLocationOf(object(1));
    const stray = attemptLocationOf({ key: 'reports/not-a-credit-code/2026-01/d1/report.csv', eTag: 'e' });

    expect(versioned).toEqual({ enterpriseId: ENTERPRISE, period: '2026-03', attemptId: attemptIdOf(sha, object(1).key, 'v1') });
    expect(unversioned.attemptId).toBe(attemptIdOf(sha, object(1).key, 'etag1'));
    expect(stray).toEqual({
      enterpriseId: UNATTRIBUTED,
      period: UNATTRIBUTED,
      attemptId: attemptIdOf(sha, 'reports/not-a-credit-code/2026-01/d1/report.csv', 'e'),
    });
  });

  it('goes through every page and asks for each page’s attempts', async () => {
    const { deps, asked } = fakes([[object(1), object(2)], [object(3)]]);

    const progress: number[] = [];
    const summary = await reconcileDeposits({ ...deps }, { onProgress: (p) => progress.push(p.listed) });

    expect(summary.announced).toBe(3);
    expect(asked.map((page) => page.length)).toEqual([2, 1]);
    expect(progress).toEqual([2, 3]);
  });

  it('leaves out objects modified before `since`', async () => {
    const { deps, announced } = fakes([[object(1, { lastModified: '2026-01-01T00:00:00.000Z' }), object(2, { lastModified: '2026-04-02T00:00:00.000Z' })]]);

    const summary = await reconcileDeposits(deps, { since: new Date('2026-03-01T00:00:00Z') });

    expect(summary).toMatchObject({ listed: 1, announced: 1 });
    expect(announced.map((u) => u.eTag)).toEqual(['etag2']);
  });

  it('announces nothing the second time: the first run’s uploads are recorded by then', async () => {
    const { deps } = fakes([[object(1), object(2)]]);

    await reconcileDeposits(deps);
    const again = await reconcileDeposits(deps);

    expect(again).toMatchObject({ listed: 2, recorded: 2, announced: 0 });
  });

  it('writes a message that intake reads back as the same upload, key encoded as S3 encodes it', () => {
    const upload: AnnouncedUpload = {
      key: `reports/${ENTERPRISE}/2026-03/d 1/报告 (1).csv`,
      size: 7,
      eTag: 'abc',
      versionId: 'v9',
      eventTime: '2026-04-01T02:00:00.000Z',
    };

    const body = s3EventMessageOf(upload, { bucket: 'b', region: 'cn-north-1' });

    expect(JSON.parse(body).Records[0].s3.object.key).not.toContain(' ');
    expect(reportUploadsIn(body)).toEqual([upload]);
  });
});
