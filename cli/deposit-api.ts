/**
 * An enterprise's deposit through the people's API: open it (POST /enterprises/{id}/deposits with
 * each file's name, size and SHA-256), PUT each file to the presigned URL it was given (evidence
 * first, the report last: the report's arrival starts validation), then wait for the verdict in
 * the enterprise's history (GET /enterprises/{id}/history) and read the attempt
 * (GET /attempts/{id}). Also the registry entry the pre-check uses, which the history carries.
 */
import pMap from 'p-map';
import type { Attempt } from '#domain/attempt.ts';
import type { Enterprise } from '#domain/registry.ts';
import { type ApiClient, ApiRefusal } from '#cli/api-client.ts';
import type { LocalFile, RegistryLookup } from '#cli/precheck.ts';
import { type PresignedUpload, type PutProgress, putFile } from '#cli/presigned-upload.ts';
import { SIMULATED_RECEIPT_METADATA } from '#resources/twin-state.ts';

/** What POST /enterprises/{id}/deposits answers. */
export interface OpenedDeposit {
  readonly depositId: string;
  readonly period: string;
  readonly expiresAt: string;
  readonly uploads: readonly PresignedUpload[];
}

/** An attempt as the history lists it: at least its id, report key and verdict; perhaps all of it. */
export type HistoryAttempt = {
  readonly attempt: number;
  readonly attemptId: string;
  readonly reportKey: string;
  readonly verdict: Attempt['verdict'];
} & Partial<Attempt>;

export interface HistoryPeriod {
  readonly period: string;
  readonly submission?: string;
  readonly lastDay?: string;
  readonly attempts: readonly HistoryAttempt[];
  readonly [more: string]: unknown;
}

/** GET /enterprises/{id}/history. */
export interface History {
  readonly enterpriseId: string;
  readonly enterprise: (Enterprise & { readonly provinceName?: string; readonly cityName?: string }) | null;
  readonly periods: readonly HistoryPeriod[];
}

/** The attempt page, as far as deposit and status read it. */
export interface AttemptPage {
  readonly attempt: Attempt;
  readonly attemptNumber: number;
}

const historyPath = (enterpriseId: string) => `/enterprises/${encodeURIComponent(enterpriseId)}/history`;

export function historyOf(api: ApiClient, enterpriseId: string): Promise<History> {
  return api.get<History>(historyPath(enterpriseId));
}

/**
 * The registry entry for the pre-check, from the history: readable with an entry, readable with
 * none (the API knows the enterprise neither in the registry nor the ledger), or not readable.
 * A refusal to read one's own history (403) is not a pre-check matter: it is thrown.
 */
export async function registryLookup(api: ApiClient, enterpriseId: string): Promise<RegistryLookup> {
  try {
    const history = await historyOf(api, enterpriseId);
    return history.enterprise ? { readable: true, enterprise: history.enterprise } : { readable: true };
  } catch (error) {
    if (error instanceof ApiRefusal && error.status === 404) return { readable: true };
    if (error instanceof ApiRefusal && error.status >= 500) return { readable: false, reason: `HTTP ${error.status}` };
    throw error;
  }
}

export interface OpenRequest {
  readonly enterpriseId: string;
  readonly period: string;
  readonly report: LocalFile;
  readonly evidence: readonly LocalFile[];
}

const described = (file: LocalFile) => ({ fileName: file.fileName, size: file.size, sha256: file.sha256 });

export function openDeposit(api: ApiClient, request: OpenRequest): Promise<OpenedDeposit> {
  return api.post<OpenedDeposit>(`/enterprises/${encodeURIComponent(request.enterpriseId)}/deposits`, {
    period: request.period,
    report: described(request.report),
    evidence: request.evidence.map(described),
  });
}

/** The uploads in the order they must go: evidence, then the report (whatever order the answer lists them in). */
export function uploadOrder(uploads: readonly PresignedUpload[]): PresignedUpload[] {
  return [...uploads.filter((u) => u.role !== 'report'), ...uploads.filter((u) => u.role === 'report')];
}

/**
 * The twin's clock: a report carrying this object metadata is received at the time it names
 * (replays of history). s3rver stores user metadata it was sent whether or not the link signed it;
 * the cloud's S3 would refuse an unsigned x-amz-* header, and the CLI sends it only to the twin.
 */
export const simulatedReceiptHeader = (at: Date) => ({ [`x-amz-meta-${SIMULATED_RECEIPT_METADATA}`]: at.toISOString() });

/** PUTs every file of the deposit, one after another, each to its own URL; `reportHeaders` go with the report only. */
export async function uploadFiles(
  opened: OpenedDeposit,
  files: readonly LocalFile[],
  options: { readonly onProgress?: (progress: PutProgress) => void; readonly reportHeaders?: Readonly<Record<string, string>> } = {},
): Promise<void> {
  for (const upload of uploadOrder(opened.uploads)) {
    const file = files.find((f) => f.fileName === upload.fileName);
    if (!file) throw new Error(`the API asked for ${upload.fileName}, which is not one of the files given`);
    const sent = upload.role === 'report' && options.reportHeaders ? { ...upload, headers: { ...upload.headers, ...options.reportHeaders } } : upload;
    await putFile(sent, file.path, file.size, options.onProgress);
  }
}

/** The attempt the report upload made, once intake has recorded it; undefined when the wait runs out. */
export async function waitForAttempt(
  api: ApiClient,
  enterpriseId: string,
  reportKey: string,
  timeoutMs: number,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<AttemptPage | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 250; ; delay = Math.min(delay * 1.5, 2000)) {
    const history = await historyOf(api, enterpriseId).catch((error: unknown) => {
      // Before the first attempt is recorded the API may know the enterprise nowhere yet.
      if (error instanceof ApiRefusal && error.status === 404) return undefined;
      throw error;
    });
    const found = history?.periods.flatMap((p) => p.attempts).find((a) => a.reportKey === reportKey);
    if (found) return attemptPage(api, found.attemptId);
    if (Date.now() + delay > deadline) return undefined;
    await sleep(delay);
  }
}

export function attemptPage(api: ApiClient, attemptId: string): Promise<AttemptPage> {
  return api.get<AttemptPage>(`/attempts/${encodeURIComponent(attemptId)}`);
}

/** Every attempt of the history in full: from the history when it carries them whole, else from the attempt pages. */
export async function fullAttempts(api: ApiClient, periods: readonly HistoryPeriod[]): Promise<Map<string, Attempt>> {
  const listed = periods.flatMap((p) => p.attempts);
  const whole = (a: HistoryAttempt): a is HistoryAttempt & Attempt => a.validation !== undefined && a.timeliness !== undefined && a.files !== undefined;
  const found = new Map<string, Attempt>(listed.filter(whole).map((a) => [a.attemptId, a]));
  const missing = listed.filter((a) => !found.has(a.attemptId));
  const pages = await pMap(missing, (a) => attemptPage(api, a.attemptId), { concurrency: 4 });
  for (const page of pages) found.set(page.attempt.attemptId, page.attempt);
  return found;
}
