/**
 * Issuing a receipt (回执): the attempt as the ledger holds it now — after intake, or after a
 * reviewer's decision — numbered within its month and signed with the deployment's key. Nothing
 * is stored: a receipt is recomputed on every request, so it can never disagree with the ledger,
 * and any two receipts of one state differ only in `issuedAt` and the signature.
 *
 * Only a reader of the attempt's enterprise (shared/domain/access.ts mayRead) gets one; anyone
 * else is told there is no such attempt, as the id is opaque and its existence is not theirs to know.
 */
import { z } from 'zod';
import { mayRead } from '#domain/access.ts';
import { attemptNumber } from '#domain/attempt.ts';
import type { Principal } from '#domain/identity.ts';
import { placeCodes } from '#domain/provinces.ts';
import { type PublishedReceiptKey, publishedReceiptKey, type Receipt, receiptBytes, receiptOf, signedReceipt } from '#domain/receipt.ts';
import { ok, type Outcome, refused } from './outcome.ts';
import type { AttemptLookup, ReceiptSigner, RegistryReader } from './ports.ts';

export interface ReceiptDeps {
  readonly attempts: AttemptLookup;
  /** Where an attempt without a month record (it named no period) belongs. */
  readonly registry: RegistryReader;
  readonly signer: ReceiptSigner;
  readonly now: () => Date;
}

export type ReceiptOutcome = Outcome<Receipt, 'not-found'>;

/** GET /attempts/{attemptId}/receipt: the path's attempt id, as the HTTP boundary parses it. */
export const ReceiptRequestSchema = z.object({ attemptId: z.string().trim().min(1, 'attemptId is required').max(128) });

export async function issueReceipt(deps: ReceiptDeps, attemptId: string, caller: Principal): Promise<ReceiptOutcome> {
  const unknown = refused('not-found', `没有编号为 ${attemptId} 的提交记录`, `no attempt ${attemptId} is recorded`);
  const attempt = await deps.attempts.findAttempt(attemptId);
  if (!attempt) return unknown;
  // An upload that named no enterprise and month has no month record, hence no number.
  const record = await deps.attempts.getDeposit(attempt.enterpriseId, attempt.period);
  const where = record ?? (await deps.registry.get(attempt.enterpriseId));
  // No place known: only the enterprise itself (and a machine) reads it.
  const place = { enterpriseId: attempt.enterpriseId, ...(where ? placeCodes(where) : { province: '', city: '' }) };
  if (!mayRead(caller, place)) return unknown;
  const body = receiptOf(attempt, record ? attemptNumber(record, attemptId) : null, deps.now());
  const signature = await deps.signer.sign(receiptBytes(body));
  return ok(signedReceipt(body, signature));
}

/** GET /receipt-key: the key anyone needs to verify a receipt offline. */
export async function receiptKeyFor(deps: Pick<ReceiptDeps, 'signer'>): Promise<PublishedReceiptKey> {
  return publishedReceiptKey(await deps.signer.publicKeyPem());
}
