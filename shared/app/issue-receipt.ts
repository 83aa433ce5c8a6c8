/**
 * Issuing a receipt (回执): the attempt as the ledger holds it now — after intake, or after a
 * reviewer's decision — numbered within its month and signed with the deployment's key. Nothing
 * is stored: a receipt is recomputed on every request, so it can never disagree with the ledger,
 * and any two receipts of one state differ only in `issuedAt` and the signature.
 */
import { z } from 'zod';
import { attemptNumber } from '#domain/attempt.ts';
import { type PublishedReceiptKey, publishedReceiptKey, type Receipt, receiptBytes, receiptOf, signedReceipt } from '#domain/receipt.ts';
import { BadRequestError, NotFoundError } from './department-queries.ts';
import type { AttemptLookup, ReceiptSigner } from './ports.ts';

export interface ReceiptDeps {
  readonly attempts: AttemptLookup;
  readonly signer: ReceiptSigner;
  readonly now: () => Date;
}

export type ReceiptOutcome =
  | { readonly status: 'issued'; readonly receipt: Receipt }
  | { readonly status: 'refused'; readonly refusal: { readonly code: 'not-found'; readonly message: string } };

export async function issueReceipt(deps: ReceiptDeps, attemptId: string): Promise<ReceiptOutcome> {
  const attempt = await deps.attempts.findAttempt(attemptId);
  if (!attempt) return { status: 'refused', refusal: { code: 'not-found', message: `no attempt ${attemptId} is recorded` } };
  // An upload that named no enterprise and month has no month record, hence no number.
  const record = await deps.attempts.getDeposit(attempt.enterpriseId, attempt.period);
  const body = receiptOf(attempt, record ? attemptNumber(record, attemptId) : null, deps.now());
  const signature = await deps.signer.sign(receiptBytes(body));
  return { status: 'issued', receipt: signedReceipt(body, signature) };
}

const AttemptIdSchema = z.string().trim().min(1, 'attemptId is required').max(128);

/** GET /attempts/{attemptId}/receipt: the outcome as the query API's router answers it. */
export async function receiptFor(deps: ReceiptDeps, params: Record<string, string | undefined>): Promise<Receipt> {
  const attemptId = AttemptIdSchema.safeParse(params.attemptId);
  if (!attemptId.success) throw new BadRequestError(`attemptId: ${attemptId.error.issues[0]?.message}`);
  const outcome = await issueReceipt(deps, attemptId.data);
  if (outcome.status === 'refused') throw new NotFoundError(outcome.refusal.message);
  return outcome.receipt;
}

/** GET /receipt-key: the key anyone needs to verify a receipt offline. */
export async function receiptKeyFor(deps: Pick<ReceiptDeps, 'signer'>): Promise<PublishedReceiptKey> {
  return publishedReceiptKey(await deps.signer.publicKeyPem());
}
