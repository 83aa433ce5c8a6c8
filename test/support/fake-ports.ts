/**
 * In-memory implementations of the intake use case's ports, for use-case and handler tests that
 * need no AWS client. They keep the rules the real stores enforce where a test depends on them:
 * DynamoDB's 400 KB item limit, the record's optimistic version, a write that takes a moment
 * (so concurrent writers really overlap), and S3 object versions.
 */
import { createHash } from 'node:crypto';
import type {
  AnnouncedUpload,
  DepositStore,
  IntakeContext,
  IntakeReader,
  IntakeRequeue,
  Ledger,
  ObjectDigest,
  ObjectRead,
  RecordOutcome,
  RegistryReader,
  ReviewQueue,
  StoredObject,
  UnreadableReason,
} from '#app/ports.ts';
import type { IntakeDeps } from '#app/record-deposit.ts';
import { type Attempt, type EnterprisePeriod, priorMonthOf } from '#domain/attempt.ts';
import { DEFAULT_DEADLINE_RULES } from '#domain/deadline.ts';
import { EVIDENCE_HEAD_BYTES } from '#domain/file-types.ts';
import { addMonths } from '#domain/period.ts';
import type { Enterprise } from '#domain/registry.ts';
import type { ReviewMessage } from '#domain/review-message.ts';

/** DynamoDB refuses an item over 400 KB (attribute names and values, UTF-8). */
export const DYNAMODB_ITEM_LIMIT = 400 * 1024;

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function assertFits(item: unknown): void {
  const size = Buffer.byteLength(JSON.stringify(item));
  if (size > DYNAMODB_ITEM_LIMIT) {
    const error = new Error('Item size has exceeded the maximum allowed size');
    error.name = 'ValidationException';
    throw error;
  }
}

interface Version {
  readonly versionId: string;
  readonly bytes: Uint8Array;
  readonly eTag: string;
}

/** A versioned bucket; `fault` makes an object answer with a reason (archived, SSE-C…). */
export class FakeDepositStore implements DepositStore {
  private readonly versions = new Map<string, Version[]>();
  readonly faults = new Map<string, UnreadableReason>();
  readonly written = new Map<string, string>();
  private counter = 0;

  /** Stores a new version and returns what an S3 event would announce of it. */
  put(key: string, body: Uint8Array | string): { versionId: string; eTag: string; size: number } {
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    const version = { versionId: `v${++this.counter}`, bytes, eTag: createHash('md5').update(bytes).digest('hex') };
    this.versions.set(key, [...(this.versions.get(key) ?? []), version]);
    return { versionId: version.versionId, eTag: version.eTag, size: bytes.length };
  }

  private find(key: string, versionId?: string): ObjectRead<Version> {
    const fault = this.faults.get(key);
    if (fault) return { ok: false, reason: fault };
    const versions = this.versions.get(key);
    if (!versions) return { ok: false, reason: 'missing' };
    const version = versionId ? versions.find((v) => v.versionId === versionId) : versions.at(-1);
    return version ? { ok: true, object: version } : { ok: false, reason: 'version-missing' };
  }

  async read(key: string, versionId?: string): Promise<ObjectRead<StoredObject>> {
    const found = this.find(key, versionId);
    return found.ok ? { ok: true, object: { bytes: found.object.bytes, versionId: found.object.versionId, eTag: found.object.eTag } } : found;
  }

  async digest(key: string, versionId?: string): Promise<ObjectRead<ObjectDigest>> {
    const found = this.find(key, versionId);
    if (!found.ok) return found;
    const { bytes, eTag } = found.object;
    return {
      ok: true,
      object: {
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        head: bytes.subarray(0, EVIDENCE_HEAD_BYTES),
        versionId: found.object.versionId,
        eTag,
      },
    };
  }

  async putOnce(key: string, body: string): Promise<void> {
    if (!this.written.has(key)) this.written.set(key, body);
  }
}

/** The deposits and attempts tables, with the transaction's conditions and the item limit. */
export class FakeLedger implements Ledger {
  readonly records = new Map<string, EnterprisePeriod>();
  readonly attempts = new Map<string, Attempt>();
  readonly queuedAt = new Map<string, string>();
  conflicts = 0;

  async getDeposit(enterpriseId: string, period: string): Promise<EnterprisePeriod | undefined> {
    await tick();
    return this.records.get(`${enterpriseId}/${period}`);
  }

  async getAttempt(enterpriseId: string, period: string, attemptId: string): Promise<Attempt | undefined> {
    return this.attempts.get(`${enterpriseId}/${period}/${attemptId}`);
  }

  async recordAttempt(attempt: Attempt, record: EnterprisePeriod, expectedVersion: number | undefined): Promise<RecordOutcome> {
    await tick();
    assertFits(attempt);
    assertFits(record);
    const id = `${attempt.enterpriseId}/${attempt.period}/${attempt.attemptId}`;
    if (this.attempts.has(id)) return 'duplicate';
    const current = this.records.get(`${record.enterpriseId}/${record.period}`);
    if (current?.version !== expectedVersion) {
      this.conflicts++;
      return 'conflict';
    }
    this.attempts.set(id, attempt);
    this.records.set(`${record.enterpriseId}/${record.period}`, record);
    return 'recorded';
  }

  async recordAttemptOnly(attempt: Attempt): Promise<'recorded' | 'duplicate'> {
    assertFits(attempt);
    const id = `${attempt.enterpriseId}/${attempt.period}/${attempt.attemptId}`;
    if (this.attempts.has(id)) return 'duplicate';
    this.attempts.set(id, attempt);
    return 'recorded';
  }

  async markReviewQueued(attempt: Pick<Attempt, 'enterpriseId' | 'period' | 'attemptId'>, at: string): Promise<boolean> {
    const id = `${attempt.enterpriseId}/${attempt.period}/${attempt.attemptId}`;
    if (this.queuedAt.has(id)) return false;
    this.queuedAt.set(id, at);
    return true;
  }

  async reviewQueuedAt(attempt: Pick<Attempt, 'enterpriseId' | 'period' | 'attemptId'>): Promise<string | undefined> {
    return this.queuedAt.get(`${attempt.enterpriseId}/${attempt.period}/${attempt.attemptId}`);
  }

  /** Every attempt of one enterprise-period, in receipt order. */
  attemptsOf(enterpriseId: string, period: string): Attempt[] {
    return [...this.attempts.values()]
      .filter((a) => a.enterpriseId === enterpriseId && a.period === period)
      .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  }
}

export class FakeRegistry implements RegistryReader, IntakeReader {
  readonly enterprises = new Map<string, Enterprise>();

  constructor(private readonly ledger: FakeLedger) {}

  async get(enterpriseId: string): Promise<Enterprise | undefined> {
    return this.enterprises.get(enterpriseId);
  }

  async intakeContext(enterpriseId: string, period: string, months: number): Promise<IntakeContext> {
    await tick();
    const enterprise = this.enterprises.get(enterpriseId);
    const record = this.ledger.records.get(`${enterpriseId}/${period}`);
    const history = Array.from({ length: months }, (_, i) => this.ledger.records.get(`${enterpriseId}/${addMonths(period, -(i + 1))}`)).flatMap((r) =>
      r ? (priorMonthOf(r) ?? []) : [],
    );
    return { ...(enterprise ? { enterprise } : {}), ...(record ? { record } : {}), history };
  }
}

export class FakeReviewQueue implements ReviewQueue {
  readonly sent: ReviewMessage[] = [];
  async send(message: ReviewMessage): Promise<void> {
    this.sent.push(message);
  }
}

/** What intake handed back to its queue, in order. */
export class FakeIntakeRequeue implements IntakeRequeue {
  readonly handedBack: { upload: AnnouncedUpload; delaySeconds: number; waited: number }[] = [];
  async later(upload: AnnouncedUpload, delaySeconds: number, waited: number): Promise<void> {
    this.handedBack.push({ upload, delaySeconds, waited });
  }
}

export interface FakeIntake {
  readonly deps: IntakeDeps;
  readonly requeue: FakeIntakeRequeue;
  readonly store: FakeDepositStore;
  readonly ledger: FakeLedger;
  readonly registry: FakeRegistry;
  readonly reviewQueue: FakeReviewQueue;
}

export function fakeIntake(overrides: Partial<IntakeDeps> = {}): FakeIntake {
  const store = new FakeDepositStore();
  const ledger = new FakeLedger();
  const registry = new FakeRegistry(ledger);
  const reviewQueue = new FakeReviewQueue();
  const requeue = new FakeIntakeRequeue();
  const deps: IntakeDeps = {
    store,
    requeue,
    ledger,
    registry,
    intake: registry,
    reviewQueue,
    deadlineRules: DEFAULT_DEADLINE_RULES,
    now: () => new Date('2026-03-01T03:00:00Z'),
    ...overrides,
  };
  return { deps, store, ledger, registry, reviewQueue, requeue };
}

// The reviewers' ports: who calls (a seeded twin account's principal) and the inbox index.
import type { InboxPage, InboxQuery, InboxReader, InboxRow } from '#app/ports.ts';
import { type Principal, principalFromClaims } from '#domain/identity.ts';
import { inboxEntryOf } from '#domain/inbox.ts';
import { twinAccount } from '#twin/accounts.ts';

/** A seeded twin account (infra/local/accounts.ts) as the boundary reads its token's claims. */
export function principalOf(username: string): Principal {
  const account = twinAccount(username);
  if (!account) throw new Error(`no twin account ${username}`);
  const reading = principalFromClaims({ sub: account.username, name: account.name, ...account.claims });
  if (!reading.ok) throw new Error(`twin account ${username}: ${reading.message.en}`);
  return reading.principal;
}

/**
 * The byInbox index over records, as DynamoDB keeps it: only records inboxEntryOf places, sorted
 * by inboxSince within a partition, a page starting after a position. `queries` counts pages asked.
 */
export class FakeInboxReader implements InboxReader {
  readonly records: EnterprisePeriod[] = [];
  queries: InboxQuery[] = [];

  private rowsOf(inbox: string): InboxRow[] {
    return this.records
      .flatMap((record) => {
        const entry = inboxEntryOf(record);
        if (entry?.inbox !== inbox) return [];
        const { enterpriseId, period, province, city, industry } = record;
        return [{ enterpriseId, period, province, city, industry, inboxSince: entry.inboxSince, attempt: entry.inboxAttempt }];
      })
      .sort((a, b) => a.inboxSince.localeCompare(b.inboxSince) || a.enterpriseId.localeCompare(b.enterpriseId));
  }

  async page(query: InboxQuery): Promise<InboxPage> {
    this.queries.push(query);
    const after = query.after;
    const matching = this.rowsOf(query.inbox).filter(
      (row) =>
        (!after || row.inboxSince > after.inboxSince || (row.inboxSince === after.inboxSince && row.enterpriseId > after.enterpriseId)) &&
        (query.city === undefined || row.attempt.cityCode === query.city) &&
        (query.enterpriseId === undefined || row.enterpriseId === query.enterpriseId) &&
        (query.period === undefined || row.period === query.period) &&
        (query.severity === undefined || (query.severity === 'errors' ? row.attempt.errors : row.attempt.warnings) > 0) &&
        (query.late === undefined || row.attempt.onTime === !query.late),
    );
    const rows = matching.slice(0, query.limit);
    const last = rows.at(-1);
    return matching.length > rows.length && last
      ? { rows, next: { inboxSince: last.inboxSince, enterpriseId: last.enterpriseId, period: last.period } }
      : { rows };
  }

  async countsByCity(inbox: string): Promise<ReadonlyMap<string, number>> {
    const counts = new Map<string, number>();
    for (const row of this.rowsOf(inbox)) counts.set(row.attempt.cityCode, (counts.get(row.attempt.cityCode) ?? 0) + 1);
    return counts;
  }
}
