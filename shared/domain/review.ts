/**
 * The reviewer's decision rules: who may decide what on which attempt. Pure: the record, the
 * attempt and the request go in, a ruling comes out (record it, recognise a replay, or refuse
 * with a reason a reviewer can act on). Nothing here throws for a bad request.
 *
 * - A decision is final: accept or return, once per attempt.
 * - Only the latest attempt of an enterprise-period can be decided: an earlier one is superseded
 *   by the re-deposit, which is what the enterprise wants judged now.
 * - An attempt the machine returned (it has errors) stays returned: errors block acceptance, so a
 *   reviewer may only confirm the return with comments for the enterprise (verdict unchanged).
 * - An attempt accepted by the machine (no errors, no warnings) has nothing to decide.
 * - A city reviewer may escalate once to provincial review; after that only a province-level
 *   reviewer may decide. The province is the top review level (national screening is the machine's).
 * - A return must say why (a comment, or a comment per issue); an accept of an attempt with
 *   warnings must explain why they are acceptable; an escalation must say what to look at.
 * - What a reviewer writes is bounded (DECISION_LIMITS), and the attempt with its decision must
 *   still fit one ledger item: a request the store could not hold is refused here, never left to
 *   fail at the write (a fault the caller would be told to retry, for ever).
 */
import { z } from 'zod';
import {
  type AcceptedMonth,
  type Attempt,
  type AttemptSummary,
  type Decision,
  type EnterprisePeriod,
  type Escalation,
  type IssueComment,
  IssueCommentSchema,
  laterAccepted,
  type ReviewLevel,
} from './attempt.ts';
import type { Issue, Verdict } from './issues.ts';

export const DecisionOutcomeSchema = z.enum(['accept', 'return', 'escalate']);
export type DecisionOutcome = z.infer<typeof DecisionOutcomeSchema>;

/**
 * Bounds on a request, in characters (UTF-16 code units, as JavaScript and zod count them; a
 * Chinese character is one). The total keeps the longest decision (≈ 70 KB in UTF-8) well inside
 * a DynamoDB item (400 KB) beside the attempt it is written onto.
 */
export const DECISION_LIMITS = {
  comment: 2_000,
  issueComments: 200,
  /** All issue comments' text together. */
  issueCommentText: 20_000,
  /** An issue comment's code, unit or field: they must name an issue of the attempt anyway. */
  location: 128,
  decisionId: 128,
} as const;

/**
 * What the attempt item may weigh with the decision on it, as JSON in UTF-8 (which is at least
 * DynamoDB's own measure of the item): DynamoDB's 400 KB less room for the keys and the
 * bookkeeping attributes the ledger adds (attemptRef, escalationQueuedAt).
 */
export const ATTEMPT_ITEM_BUDGET_BYTES = 380_000;

const n = (value: number) => value.toLocaleString('en-US');
const lengthOf = (input: unknown) => (typeof input === 'string' || Array.isArray(input) ? input.length : 0);
// An unpaired surrogate is not Unicode: DynamoDB would refuse the write (as a fault, not a 400).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function boundedText(what: { zh: string; en: string }, max: number) {
  return z
    .string()
    .trim()
    .max(max, {
      error: (issue) =>
        `${what.zh}最多 ${max} 个字符（收到 ${lengthOf(issue.input)} 个）/ ${what.en} is at most ${n(max)} characters (got ${n(lengthOf(issue.input))})`,
    })
    .refine((text) => !LONE_SURROGATE.test(text), {
      error: `${what.zh}含有无效字符（孤立的代理项）/ ${what.en} contains invalid Unicode (an unpaired surrogate)`,
    });
}

const IssueCommentRequestSchema = IssueCommentSchema.extend({
  code: boundedText({ zh: '问题代码', en: 'an issue code' }, DECISION_LIMITS.location).pipe(z.string().min(1)),
  unitId: boundedText({ zh: '机组编号', en: 'a unit id' }, DECISION_LIMITS.location).optional(),
  field: boundedText({ zh: '字段名', en: 'a field name' }, DECISION_LIMITS.location).optional(),
  comment: boundedText({ zh: '问题意见', en: 'an issue comment' }, DECISION_LIMITS.comment).pipe(
    z.string().min(1, '问题意见不能为空 / an issue comment cannot be empty'),
  ),
});

/**
 * One reviewer's request, as the API takes it. Who decides and at which level is not the body's to
 * say: it comes from the caller's token (a `reviewer` or `level` in the body is dropped, as zod
 * drops every key it does not know), and is handed to the rules as a ReviewerIdentity.
 */
export const DecisionRequestSchema = z.object({
  outcome: DecisionOutcomeSchema,
  comment: boundedText({ zh: '意见', en: 'a comment' }, DECISION_LIMITS.comment).default(''),
  issueComments: z
    .array(IssueCommentRequestSchema)
    .max(DECISION_LIMITS.issueComments, {
      error: (issue) =>
        `问题意见最多 ${DECISION_LIMITS.issueComments} 条（收到 ${lengthOf(issue.input)} 条）/ at most ${DECISION_LIMITS.issueComments} issue comments (got ${n(lengthOf(issue.input))})`,
    })
    .refine((comments) => comments.reduce((sum, c) => sum + c.comment.length, 0) <= DECISION_LIMITS.issueCommentText, {
      error: `问题意见合计最多 ${DECISION_LIMITS.issueCommentText} 个字符 / issue comments total at most ${n(DECISION_LIMITS.issueCommentText)} characters`,
    })
    .default([]),
  /** The client's idempotency key; the use case derives one from the content when absent. */
  decisionId: boundedText({ zh: '决定编号', en: 'decisionId' }, DECISION_LIMITS.decisionId).pipe(z.string().min(1)).optional(),
});
export type DecisionRequest = z.infer<typeof DecisionRequestSchema>;

/** Who decides, as their verified token says: recorded on the decision, never read from a body. */
export interface ReviewerIdentity {
  /** The token's `sub`: stable and unique, what replays and "who escalated" compare. */
  readonly subject: string;
  /** For people to read; names repeat. */
  readonly name: string;
  readonly level: ReviewLevel;
}

/**
 * Whether this request is the one already recorded on the attempt: the same decisionId from the same
 * reviewer. A decisionId alone could be another reviewer's guess; a record from before sign-in
 * (no reviewerId) is matched by id only, as it was then.
 */
export function isRecordedRequest(attempt: Pick<Attempt, 'decision' | 'escalation'>, decisionId: string, reviewer: Pick<ReviewerIdentity, 'subject'>): boolean {
  const same = (stored: { decisionId: string; reviewerId?: string } | undefined) =>
    stored?.decisionId === decisionId && (stored.reviewerId === undefined || stored.reviewerId === reviewer.subject);
  return same(attempt.decision) || same(attempt.escalation);
}

export type RefusalCode =
  | 'not-found'
  | 'already-decided'
  | 'superseded'
  | 'nothing-to-decide'
  | 'machine-returned'
  | 'already-escalated'
  | 'wrong-level'
  | 'comment-required'
  | 'unknown-issue'
  | 'too-long';

/** Why a decision is refused, in the words a reviewer reads: Chinese and English. */
export interface Refusal {
  readonly code: RefusalCode;
  readonly message: { readonly zh: string; readonly en: string };
}

export type ReviewRuling =
  | {
      readonly kind: 'decide';
      readonly decision: Decision;
      readonly verdict: Extract<Verdict, 'accepted' | 'returned'>;
    }
  | { readonly kind: 'escalate'; readonly escalation: Escalation }
  /** This very decision (same decisionId) is already recorded: answer as if it had just been. */
  | { readonly kind: 'replay' }
  | { readonly kind: 'refuse'; readonly refusal: Refusal };

const refuse = (code: RefusalCode, zh: string, en: string): ReviewRuling => ({
  kind: 'refuse',
  refusal: { code, message: { zh, en } },
});

/** The attempt that replaced this one, if any: the latest by receipt time. */
export function supersedingAttempt(record: EnterprisePeriod, attemptId: string): AttemptSummary | undefined {
  const index = record.attempts.findIndex((a) => a.attemptId === attemptId);
  const latest = record.attempts.at(-1);
  return index >= 0 && index < record.attempts.length - 1 ? latest : undefined;
}

export function describeDecision(decision: Decision): string {
  const outcome = decision.outcome === 'accept' ? 'accepted' : 'returned';
  return `${outcome} by ${decision.reviewer} (${decision.level}) at ${decision.decidedAt}`;
}

const LEVEL_ZH: Record<ReviewLevel, string> = { city: '市级', province: '省级' };

function describeDecisionZh(decision: Decision): string {
  const outcome = decision.outcome === 'accept' ? '通过' : '退回';
  return `已由 ${decision.reviewer}（${LEVEL_ZH[decision.level]}）于 ${decision.decidedAt} ${outcome}`;
}

function issueWhere(c: Pick<Issue, 'code' | 'unitId' | 'field'>): string {
  return [c.code, c.unitId ? `unit ${c.unitId}` : '', c.field ?? ''].filter(Boolean).join(' ');
}

/** An issue comment must point at an issue of this attempt; unit and field narrow it when given. */
function matchesIssue(comment: IssueComment, issue: Issue): boolean {
  return (
    comment.code === issue.code &&
    (comment.unitId === undefined || comment.unitId === issue.unitId) &&
    (comment.field === undefined || comment.field === issue.field)
  );
}

export function ruleOnDecision(
  record: EnterprisePeriod,
  attempt: Attempt,
  request: DecisionRequest & { decisionId: string },
  reviewer: ReviewerIdentity,
  now: Date,
): ReviewRuling {
  const number = record.attempts.findIndex((a) => a.attemptId === attempt.attemptId) + 1;
  const label = `attempt ${number} (${attempt.attemptId}) of ${attempt.enterpriseId} ${attempt.period}`;
  const labelZh = `${attempt.enterpriseId} ${attempt.period} 第 ${number} 次提交（${attempt.attemptId}）`;
  if (isRecordedRequest(attempt, request.decisionId, reviewer)) return { kind: 'replay' };
  if (attempt.decision) {
    return refuse(
      'already-decided',
      `${labelZh}${describeDecisionZh(attempt.decision)}，审核决定不可更改`,
      `${label} was already ${describeDecision(attempt.decision)}; decisions are final`,
    );
  }
  if (number === 0) return refuse('not-found', `${labelZh}不在该企业当月的存证记录中`, `${label} is not listed in its enterprise-period record`);
  const later = supersedingAttempt(record, attempt.attemptId);
  if (later) {
    return refuse(
      'superseded',
      `${labelZh}已被 ${later.receivedAt} 收到的第 ${record.attempts.length} 次提交（${later.attemptId}）取代，请审核最新一次提交`,
      `${label} is superseded by attempt ${record.attempts.length} (${later.attemptId}) received ${later.receivedAt}; decide on the latest attempt`,
    );
  }
  const machineVerdict = attempt.validation.verdict;
  if (machineVerdict === 'accepted')
    return refuse(
      'nothing-to-decide',
      `${labelZh}已自动通过（无错误、无警告），无需审核`,
      `${label} was accepted automatically (no errors, no warnings); there is nothing to decide`,
    );
  if (machineVerdict === 'returned' && request.outcome !== 'return') {
    return refuse(
      'machine-returned',
      `${labelZh}有 ${attempt.validation.stats.errors} 个错误，已被校验退回；有错误不能通过，只能附意见退回，企业须重新提交`,
      `${label} has ${attempt.validation.stats.errors} error(s) and was returned by validation; errors block acceptance, so it can only be returned with comments and the enterprise must re-deposit`,
    );
  }

  const atLevel: ReviewLevel = attempt.escalation?.toLevel ?? 'city';
  if (request.outcome === 'escalate') {
    if (attempt.escalation)
      return refuse(
        'already-escalated',
        `${labelZh}已由 ${attempt.escalation.reviewer} 于 ${attempt.escalation.escalatedAt} 提交${LEVEL_ZH[attempt.escalation.toLevel]}审核`,
        `${label} was already escalated to ${attempt.escalation.toLevel} review by ${attempt.escalation.reviewer} at ${attempt.escalation.escalatedAt}`,
      );
    if (reviewer.level !== 'city')
      return refuse(
        'wrong-level',
        '只有市级审核人可以提交上级审核：省级是最高审核级别',
        'only a city-level reviewer can escalate: province is the top review level',
      );
  } else if (reviewer.level !== atLevel) {
    return refuse(
      'wrong-level',
      attempt.escalation
        ? `${labelZh}已由 ${attempt.escalation.reviewer} 提交${LEVEL_ZH[atLevel]}审核，须由${LEVEL_ZH[atLevel]}审核人决定`
        : `${labelZh}处于${LEVEL_ZH[atLevel]}审核；${LEVEL_ZH[reviewer.level]}审核人须待市级审核人提交上级审核后才能决定`,
      attempt.escalation
        ? `${label} was escalated to ${atLevel} review by ${attempt.escalation.reviewer}; a ${atLevel}-level reviewer must decide it`
        : `${label} is at ${atLevel} review; a ${reviewer.level}-level reviewer can decide it only after a city reviewer escalates it`,
    );
  }

  const unknown = request.issueComments.filter((c) => !attempt.validation.issues.some((issue) => matchesIssue(c, issue)));
  if (unknown.length > 0) {
    const known = attempt.validation.issues.map(issueWhere).join(', ') || 'none';
    return refuse(
      'unknown-issue',
      `${unknown.map(issueWhere).join(', ')}：${labelZh}没有这个问题（其问题：${known}）`,
      `${unknown.map(issueWhere).join(', ')}: no such issue on ${label} (its issues: ${known})`,
    );
  }
  if (request.outcome === 'return' && request.comment === '' && request.issueComments.length === 0) {
    return refuse(
      'comment-required',
      '退回须告诉企业要改什么：请填写意见，或逐条问题填写意见',
      'a return must tell the enterprise what to fix: give a comment or a comment per issue',
    );
  }
  if (request.outcome === 'accept' && attempt.validation.stats.warnings > 0 && request.comment === '') {
    return refuse(
      'comment-required',
      `${labelZh}有 ${attempt.validation.stats.warnings} 个警告：请在意见中说明为何可以接受`,
      `${label} has ${attempt.validation.stats.warnings} warning(s): explain in a comment why they are acceptable`,
    );
  }
  if (request.outcome === 'escalate' && request.comment === '') {
    return refuse(
      'comment-required',
      '提交上级审核须告诉省级审核人要看什么：请填写意见',
      'an escalation must tell the provincial reviewer what to look at: give a comment',
    );
  }

  const at = now.toISOString();
  const ruling = rulingOf(request, reviewer, at);
  const size = itemBytes(
    ruling.kind === 'decide' ? { ...attempt, verdict: ruling.verdict, decision: ruling.decision } : { ...attempt, escalation: ruling.escalation },
  );
  if (size > ATTEMPT_ITEM_BUDGET_BYTES) {
    return refuse(
      'too-long',
      `${labelZh}连同本次意见共 ${size} 字节，超过存证记录上限 ${ATTEMPT_ITEM_BUDGET_BYTES} 字节，请缩短意见`,
      `${label} with these comments would take ${n(size)} bytes, over the ledger's ${n(ATTEMPT_ITEM_BUDGET_BYTES)}: shorten the comments`,
    );
  }
  return ruling;
}

/** UTF-8 bytes of the item as JSON: at least what DynamoDB counts for it. */
function itemBytes(item: unknown): number {
  return new TextEncoder().encode(JSON.stringify(item)).length;
}

function rulingOf(
  request: DecisionRequest & { decisionId: string },
  reviewer: ReviewerIdentity,
  at: string,
): Extract<ReviewRuling, { kind: 'decide' | 'escalate' }> {
  if (request.outcome === 'escalate') {
    return {
      kind: 'escalate',
      escalation: {
        decisionId: request.decisionId,
        reviewer: reviewer.name,
        reviewerId: reviewer.subject,
        fromLevel: 'city',
        toLevel: 'province',
        escalatedAt: at,
        comment: request.comment,
      },
    };
  }
  return {
    kind: 'decide',
    verdict: request.outcome === 'accept' ? 'accepted' : 'returned',
    decision: {
      decisionId: request.decisionId,
      outcome: request.outcome,
      reviewer: reviewer.name,
      reviewerId: reviewer.subject,
      level: reviewer.level,
      decidedAt: at,
      comment: request.comment,
      issueComments: request.issueComments,
    },
  };
}

/** The enterprise-period record once a ruling is applied to one of its attempts (next version). */
export function recordWithRuling(
  record: EnterprisePeriod,
  attemptId: string,
  ruling: Extract<ReviewRuling, { kind: 'decide' | 'escalate' }>,
  /** The decided attempt as a later month's history sees it, when the decision accepts it. */
  accepted?: AcceptedMonth,
): EnterprisePeriod {
  const latest = laterAccepted(record.accepted, accepted);
  return {
    ...record,
    ...(latest ? { accepted: latest } : {}),
    attempts: record.attempts.map((a) => {
      if (a.attemptId !== attemptId) return a;
      // The machine's verdict stays beside the reviewer's, so a rate as of an earlier instant
      // sees the attempt as it was then; likewise the escalation's time.
      return ruling.kind === 'decide'
        ? {
            ...a,
            verdict: ruling.verdict,
            machineVerdict: a.machineVerdict ?? a.verdict,
            decidedAt: ruling.decision.decidedAt,
          }
        : {
            ...a,
            escalated: true,
            escalatedAt: ruling.escalation.escalatedAt,
          };
    }),
    version: record.version + 1,
  };
}
