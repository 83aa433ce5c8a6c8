/**
 * The decision: accept (a reason for every warning), return (a comment per issue, or one overall)
 * or escalate to the province (city reviewers only). The API has the last word: a refusal (decided
 * meanwhile by someone else, superseded, not at this level) is shown in the person's language with
 * the API's own explanation. One decisionId per form, so a resubmission is a replay, not a second
 * decision.
 */
import { useRef, useState } from 'preact/hooks';
import { ApiError, type AppContext } from '../app-context.ts';
import { type AttemptView, type Issue, inLanguage, issueKey, parameterName } from './model.ts';

export type DecidedOutcome = 'accept' | 'return' | 'escalate';

interface DecisionBody {
  readonly outcome: DecidedOutcome;
  readonly comment: string;
  readonly issueComments: readonly { code: string; unitId?: string; field?: string; comment: string }[];
  readonly decisionId: string;
}

function issueLabel(issue: Issue, context: AppContext): string {
  const { t, lang } = context;
  const where = [issue.unitId !== undefined ? t('wbUnit', { unit: issue.unitId }) : '', issue.field ? parameterName(issue.field, lang) : '']
    .filter(Boolean)
    .join(' · ');
  return `${where ? `${where}：` : ''}${issue.message[lang]}`;
}

export function DecisionForm({ context, view, onDecided }: { context: AppContext; view: AttemptView; onDecided: (outcome: DecidedOutcome) => void }) {
  const { t, lang, me, api } = context;
  const { attempt } = view;
  const [outcome, setOutcome] = useState<DecidedOutcome | undefined>(undefined);
  const [overall, setOverall] = useState('');
  const [comments, setComments] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [sending, setSending] = useState(false);
  const decisionId = useRef(crypto.randomUUID());
  const alert = useRef<HTMLParagraphElement>(null);

  const atLevel = attempt.escalation?.toLevel ?? 'city';
  const levelName = t(atLevel === 'province' ? 'wbLevelProvince' : 'wbLevelCity');
  // Nothing to decide here: the page says why above (decided, superseded, accepted by the machine).
  if (attempt.decision || view.supersededBy || attempt.validation.verdict === 'accepted') return null;
  if (me.level !== atLevel)
    return (
      <p class="wb-notice" data-testid="not-yours">
        {t('wbNotYours', { level: levelName })}
      </p>
    );

  const issues = attempt.validation.issues.filter((i) => i.severity !== 'info');
  const warnings = issues.filter((i) => i.severity === 'warning');
  const hasErrors = attempt.validation.stats.errors > 0;
  const mayEscalate = me.level === 'city' && !attempt.escalation;
  const commented = outcome === 'accept' ? warnings : outcome === 'return' ? issues : [];

  const show = (message: string) => {
    setProblem(message);
    // The alert is read out, and focus goes to it so a keyboard user is where the problem is said.
    queueMicrotask(() => alert.current?.focus());
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!outcome) return;
    const issueComments = commented
      .map((issue) => ({ issue, comment: (comments[issueKey(issue)] ?? '').trim() }))
      .filter((c) => c.comment !== '')
      .map(({ issue, comment }) => ({
        code: issue.code,
        ...(issue.unitId !== undefined ? { unitId: issue.unitId } : {}),
        ...(issue.field !== undefined ? { field: issue.field } : {}),
        comment,
      }));
    let comment = overall.trim();
    if (outcome === 'accept') {
      if (hasErrors) return show(t('wbCannotAccept'));
      if (issueComments.length < warnings.length) return show(t('wbNeedReasons'));
      // The API wants the warnings explained in the comment too: the reasons, when none was given.
      if (!comment) comment = issueComments.map((c) => c.comment).join('；');
    }
    if (outcome === 'return' && !comment && issueComments.length === 0) return show(t('wbNeedComment'));
    if (outcome === 'escalate' && !comment) return show(t('wbNeedEscalateComment'));
    const body: DecisionBody = { outcome, comment, issueComments, decisionId: decisionId.current };
    setSending(true);
    setProblem(undefined);
    try {
      await api.json(`/attempts/${encodeURIComponent(attempt.attemptId)}/decision`, { method: 'POST', body });
      onDecided(outcome);
    } catch (error) {
      if (error instanceof ApiError) {
        const what = t(`wbRefusal.${error.code}`);
        const known = what !== `wbRefusal.${error.code}`;
        show(t('wbRefused', { message: `${known ? `${what}：` : ''}${inLanguage(error.message, lang)}` }));
      } else show(t('wbRefused', { message: String(error) }));
    } finally {
      setSending(false);
    }
  };

  const help = outcome === 'accept' ? 'wbAcceptHelp' : outcome === 'return' ? 'wbReturnHelp' : outcome === 'escalate' ? 'wbEscalateHelp' : undefined;
  return (
    <section aria-labelledby="wb-decide-title" class="wb-decide">
      <h3 id="wb-decide-title">{t('wbDecide')}</h3>
      <form onSubmit={submit} noValidate data-testid="decision-form">
        <fieldset>
          <legend>{t('wbOutcome')}</legend>
          {!hasErrors && (
            <label class="wb-choice">
              <input type="radio" name="outcome" value="accept" checked={outcome === 'accept'} onChange={() => setOutcome('accept')} /> {t('wbAccept')}
            </label>
          )}
          <label class="wb-choice">
            <input type="radio" name="outcome" value="return" checked={outcome === 'return'} onChange={() => setOutcome('return')} /> {t('wbReturn')}
          </label>
          {mayEscalate && (
            <label class="wb-choice">
              <input type="radio" name="outcome" value="escalate" checked={outcome === 'escalate'} onChange={() => setOutcome('escalate')} /> {t('wbEscalate')}
            </label>
          )}
        </fieldset>
        {help && <p class="wb-muted">{t(help)}</p>}
        {commented.map((issue) => {
          const key = issueKey(issue);
          const id = `wb-c-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
          return (
            <div class="wb-field" key={key}>
              <label for={id}>{t(outcome === 'accept' ? 'wbReasonFor' : 'wbCommentFor', { issue: issueLabel(issue, context) })}</label>
              <textarea
                id={id}
                rows={2}
                maxLength={2000}
                required={outcome === 'accept'}
                value={comments[key] ?? ''}
                onInput={(e) => setComments({ ...comments, [key]: (e.currentTarget as HTMLTextAreaElement).value })}
              />
            </div>
          );
        })}
        {outcome && (
          <div class="wb-field">
            <label for="wb-overall">{t(outcome === 'escalate' ? 'wbOverall' : 'wbOverallOptional')}</label>
            <textarea id="wb-overall" rows={3} maxLength={2000} value={overall} onInput={(e) => setOverall((e.currentTarget as HTMLTextAreaElement).value)} />
          </div>
        )}
        {problem && (
          <p role="alert" class="wb-problem" tabIndex={-1} ref={alert} data-testid="decision-problem">
            {problem}
          </p>
        )}
        <button type="submit" class="primary" disabled={!outcome || sending}>
          {sending ? t('wbSubmitting') : t('wbSubmit')}
        </button>
      </form>
    </section>
  );
}
