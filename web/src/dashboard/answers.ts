/**
 * The API's answers the dashboard reads, as JSON gives them (shared/app/department-queries.ts,
 * shared/domain/league.ts, shared/domain/rates.ts, shared/app/show-attempt.ts), as plain types
 * (those that are the domain's own are imported as types: a type-only import bundles nothing).
 */

export type Severity = 'error' | 'warning' | 'info';

export interface Summary {
  readonly scope: string;
  readonly period: string;
  readonly obliged: number;
  readonly onTime: number;
  readonly late: number;
  readonly missing: number;
  readonly pending: number;
  readonly onTimeRate: number | null;
  readonly firstPassAccepted: number;
  readonly returned: number;
  readonly withdrawn?: number;
  readonly awaitingReview: number;
  readonly firstPassRate: number | null;
  readonly resubmitted: number;
  readonly problems: {
    readonly total: number;
    readonly bySeverity: Readonly<Record<Severity, number>>;
    readonly byCode: readonly { readonly code: string; readonly severity: Severity; readonly count: number }[];
  };
  readonly computedAt?: string;
}

export interface SummariesAnswer {
  readonly scope: string;
  readonly from: string;
  readonly to: string;
  readonly summaries: readonly Summary[];
}

// The league's rows as shared/domain/league.ts declares them (a type-only import bundles nothing).
export type { LeagueRow, TrendPoint } from '#domain/league.ts';
import type { LeagueRow } from '#domain/league.ts';

export interface LeagueAnswer {
  readonly scope: string;
  readonly period: string;
  readonly months: number;
  readonly computedAt: string | null;
  readonly rows: readonly LeagueRow[];
}

export interface Standing {
  readonly enterpriseId: string;
  readonly name: string;
  readonly city: string;
  readonly cityName: string;
  readonly submission: 'on-time' | 'late' | 'missing' | 'pending';
  readonly lastDay: string;
  readonly lateBySeconds: number;
  /** In the nightly's summary.json (every standing), not in GET /late. */
  readonly firstPass?: string;
  readonly attempts?: number;
  readonly latestVerdict?: string;
}

export interface LateAnswer {
  readonly scope: string;
  readonly period: string;
  readonly asOf: string;
  readonly obliged: number;
  readonly pending: number;
  readonly late: readonly Standing[];
}

export interface ExportsAnswer {
  readonly scope: string;
  readonly period: string;
  readonly expiresAt: string;
  readonly files: readonly { readonly fileName: string; readonly url: string }[];
}

export interface Issue {
  readonly code: string;
  readonly severity: Severity;
  readonly unitId?: string;
  readonly field?: string;
  readonly row?: number;
  readonly expected?: string;
  readonly found?: string;
  readonly message: { readonly zh: string; readonly en: string };
}

export interface HistoryAttempt {
  readonly attempt: number;
  readonly attemptId: string;
  readonly receivedAt?: string;
  readonly verdict?: string;
  readonly errors?: number;
  readonly warnings?: number;
}

export interface HistoryAnswer {
  readonly enterpriseId: string;
  readonly enterprise: { readonly name: string; readonly cityName: string; readonly industry: string } | null;
  readonly periods: readonly {
    readonly period: string;
    readonly submission?: Standing['submission'];
    readonly lastDay?: string;
    readonly lateBySeconds?: number;
    readonly firstPass?: string;
    readonly obliged?: false;
    readonly attempts: readonly HistoryAttempt[];
  }[];
}

export interface AttemptAnswer {
  readonly attempt: {
    readonly attemptId: string;
    readonly enterpriseId: string;
    readonly period: string;
    readonly receivedAt: string;
    readonly verdict: string;
    readonly timeliness: { readonly onTime: boolean };
    readonly validation: { readonly issues: readonly Issue[] };
    readonly decision?: { readonly outcome: 'accept' | 'return'; readonly reviewer: string; readonly decidedAt: string; readonly comment: string };
  };
  readonly attemptNumber: number;
  readonly enterpriseName?: string;
  readonly files: readonly { readonly fileName?: string; readonly role?: string; readonly url?: string }[];
}
