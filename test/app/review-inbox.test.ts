/**
 * A reviewer's inbox on an in-memory index (test/support/fake-ports.ts FakeInboxReader keeps the
 * records inboxEntryOf places): whose inbox each reviewer reads, the filters, paging with an opaque
 * cursor, the counts, and what is refused.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { reviewInbox } from '#app/review-inbox.ts';
import type { AttemptSummary, EnterprisePeriod } from '#domain/attempt.ts';
import { FakeInboxReader, principalOf } from '../support/fake-ports.ts';

const summary = (attemptId: string, receivedAt: string, overrides: Partial<AttemptSummary> = {}): AttemptSummary => ({
  attemptId,
  reportKey: `reports/x/2026-01/${attemptId}/report.json`,
  receivedAt,
  onTime: true,
  verdict: 'needs-review',
  errors: 0,
  warnings: 1,
  ...overrides,
});
const recordOf = (enterpriseId: string, city: string, attempt: AttemptSummary, period = '2026-01'): EnterprisePeriod => ({
  enterpriseId,
  period,
  province: '360000',
  city,
  industry: 'power',
  attempts: [attempt],
  version: 1,
});

const NANCHANG_A = recordOf('91360100MA35AAAAAA', '360100', summary('a1', '2026-03-02T00:00:00.000Z'));
const NANCHANG_B = recordOf('91360100MA35BBBBBB', '360100', summary('b1', '2026-03-01T00:00:00.000Z', { onTime: false }));
const JIUJIANG = recordOf('91360400MA35CCCCCC', '360400', summary('c1', '2026-03-03T00:00:00.000Z'));
const ESCALATED = recordOf(
  '91360100MA35DDDDDD',
  '360100',
  summary('d1', '2026-03-04T00:00:00.000Z', { escalated: true, escalatedAt: '2026-03-05T00:00:00.000Z' }),
);
const ESCALATED_JIUJIANG = recordOf('91360400MA35EEEEEE', '360400', summary('e1', '2026-03-01T12:00:00.000Z', { escalated: true }));

let inbox: FakeInboxReader;
const names = { namesOf: async (ids: readonly string[]) => new Map(ids.filter((id) => id.endsWith('AAAAAA')).map((id) => [id, '南昌甲电厂'])) };

beforeEach(() => {
  inbox = new FakeInboxReader();
  inbox.records.push(NANCHANG_A, NANCHANG_B, JIUJIANG, ESCALATED, ESCALATED_JIUJIANG);
});

describe('whose inbox', () => {
  it("lists a city reviewer's city, not yet escalated, oldest first, with names where the registry has them", async () => {
    const answer = await reviewInbox({ inbox, names }, principalOf('reviewer-nanchang'), {});

    expect(answer).toMatchObject({
      ok: true,
      value: {
        inbox: { level: 'city', jurisdiction: '360100' },
        items: [
          { attemptId: 'b1', enterpriseId: '91360100MA35BBBBBB', level: 'city', onTime: false },
          { attemptId: 'a1', enterpriseName: '南昌甲电厂', cityCode: '360100', attempt: 1, warnings: 1 },
        ],
        counts: { total: 2, byCity: { '360100': 2 } },
      },
    });
    expect(answer.ok && answer.value).not.toHaveProperty('cursor');
  });

  it("lists a provincial reviewer's escalated attempts only, from every city of the province, counted by city", async () => {
    const answer = await reviewInbox({ inbox }, principalOf('reviewer-jiangxi'), {});

    expect(answer).toMatchObject({
      ok: true,
      value: {
        inbox: { level: 'province', jurisdiction: '360000' },
        items: [
          { attemptId: 'e1', cityCode: '360400' },
          { attemptId: 'd1', level: 'province', escalatedAt: '2026-03-05T00:00:00.000Z' },
        ],
        counts: { total: 2, byCity: { '360100': 1, '360400': 1 } },
      },
    });
  });

  it('finds nothing for a reviewer of another province', async () => {
    await expect(reviewInbox({ inbox }, principalOf('reviewer-hunan'), {})).resolves.toMatchObject({ ok: true, value: { items: [], counts: { total: 0 } } });
  });

  it('refuses anyone but a reviewer', async () => {
    await expect(reviewInbox({ inbox }, principalOf('dept-jiangxi'), {})).resolves.toMatchObject({ ok: false, refusal: { code: 'forbidden' } });
  });
});

describe('filters', () => {
  it("narrows a province's inbox to one city, named by code or name; the counts stay the whole inbox's", async () => {
    const byName = await reviewInbox({ inbox }, principalOf('reviewer-jiangxi'), { city: '九江' });

    expect(byName).toMatchObject({ ok: true, value: { items: [{ attemptId: 'e1' }], counts: { total: 2 } } });
    expect(inbox.queries.at(-1)).toMatchObject({ inbox: 'province#360000', city: '360400' });
  });

  it('refuses a city outside the jurisdiction as forbidden, and one that names no city as a bad request', async () => {
    await expect(reviewInbox({ inbox }, principalOf('reviewer-nanchang'), { city: '360400' })).resolves.toMatchObject({
      ok: false,
      refusal: { code: 'forbidden' },
    });
    await expect(reviewInbox({ inbox }, principalOf('reviewer-jiangxi'), { city: '长沙' })).resolves.toMatchObject({
      ok: false,
      refusal: { code: 'forbidden' },
    });
    await expect(reviewInbox({ inbox }, principalOf('reviewer-jiangxi'), { city: 'nowhere' })).resolves.toMatchObject({
      ok: false,
      refusal: { code: 'bad-request' },
    });
  });

  it('passes enterprise, period, severity and lateness to the index and lists what matches', async () => {
    const late = await reviewInbox({ inbox }, principalOf('reviewer-nanchang'), { late: true, severity: 'warnings', period: '2026-01' });

    expect(late).toMatchObject({ ok: true, value: { items: [{ attemptId: 'b1' }] } });
    expect(inbox.queries.at(-1)).toMatchObject({ late: true, severity: 'warnings', period: '2026-01' });
    await expect(reviewInbox({ inbox }, principalOf('reviewer-nanchang'), { enterpriseId: '91360100MA35AAAAAA' })).resolves.toMatchObject({
      ok: true,
      value: { items: [{ attemptId: 'a1' }] },
    });
  });
});

describe('pages', () => {
  it('goes on from the cursor to the end, each attempt once', async () => {
    const first = await reviewInbox({ inbox }, principalOf('reviewer-nanchang'), { limit: 1 });
    if (!first.ok || !first.value.cursor) throw new Error('expected a first page with a cursor');

    const second = await reviewInbox({ inbox }, principalOf('reviewer-nanchang'), { limit: 1, cursor: first.value.cursor });

    expect(first.value.items.map((i) => i.attemptId)).toEqual(['b1']);
    expect(second).toMatchObject({ ok: true, value: { items: [{ attemptId: 'a1' }] } });
    expect(second.ok && second.value).not.toHaveProperty('cursor');
  });

  it('refuses a cursor it did not give', async () => {
    await expect(reviewInbox({ inbox }, principalOf('reviewer-nanchang'), { cursor: 'not-a-cursor' })).resolves.toMatchObject({
      ok: false,
      refusal: { code: 'bad-request' },
    });
  });
});
