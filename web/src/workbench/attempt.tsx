/**
 * One attempt as a reviewer judges it: its issues by unit and severity with what was found and
 * expected, the enterprise's recent months for the parameters the issues flag, each evidence file
 * previewed beside the issues, and the decision form where the attempt waits at the reviewer's level.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, type AppContext } from '../app-context.ts';
import { DecisionForm, type DecidedOutcome } from './decision.tsx';
import {
  type AttemptView,
  evidenceFileOf,
  type FileWithLink,
  groupIssues,
  type HistoryAnswer,
  type HistoryLoad,
  inLanguage,
  type Issue,
  issueKey,
  parameterName,
  shanghaiTime,
} from './model.ts';
import { Preview } from './preview.tsx';
import { RecentMonths } from './recent-months.tsx';

type Loaded = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'ready'; view: AttemptView };

export function AttemptPage({
  context,
  attemptId,
  onBack,
  onDecided,
}: {
  context: AppContext;
  attemptId: string;
  onBack: () => void;
  onDecided: (outcome: DecidedOutcome, view: AttemptView) => void;
}) {
  const { t, lang, api } = context;
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });
  const [history, setHistory] = useState<HistoryLoad>({ kind: 'loading' });
  const [previewing, setPreviewing] = useState<string | undefined>(undefined);
  const failure = (error: unknown) => (error instanceof ApiError ? inLanguage(error.message, lang) : String(error));
  const load = () => {
    setLoaded({ kind: 'loading' });
    setHistory({ kind: 'loading' });
    api
      .json<AttemptView>(`/attempts/${encodeURIComponent(attemptId)}`)
      .then((view) => {
        setLoaded({ kind: 'ready', view });
        // The history needs the enterprise's id, which only the attempt names.
        return api
          .json<HistoryAnswer>(`/enterprises/${encodeURIComponent(view.attempt.enterpriseId)}/history`)
          .then((answer) => setHistory({ kind: 'ready', history: answer }))
          .catch((error: unknown) => setHistory({ kind: 'failed', message: failure(error) }));
      })
      .catch((error: unknown) => setLoaded({ kind: 'failed', message: failure(error) }));
  };
  useEffect(load, [attemptId]);

  const back = (
    <button type="button" class="wb-back" onClick={onBack}>
      {t('wbBack')}
    </button>
  );
  if (loaded.kind === 'loading')
    return (
      <>
        {back}
        <p role="status">{t('loading')}</p>
      </>
    );
  if (loaded.kind === 'failed')
    return (
      <>
        {back}
        <p role="alert">
          {t('wbLoadFailed', { message: loaded.message })}{' '}
          <button type="button" onClick={load}>
            {t('retry')}
          </button>
        </p>
      </>
    );

  const { view } = loaded;
  const { attempt } = view;
  const name = view.enterpriseName ?? attempt.enterpriseId;
  const file = view.files.find((f) => f.key === previewing);
  const evidenceByName = new Map(view.files.filter((f) => f.role === 'evidence').map((f) => [f.fileName, f]));
  const lateDays = Math.ceil(attempt.timeliness.lateBySeconds / 86_400);
  const levelName = (level: string) => t(level === 'province' ? 'wbLevelProvince' : 'wbLevelCity');
  const named = history.kind === 'ready' ? history.history.enterprise : null;

  return (
    <article aria-labelledby="wb-attempt-title">
      {back}
      <h2 id="wb-attempt-title">{t('wbAttemptTitle', { enterprise: name, period: attempt.period, n: view.attemptNumber, of: view.attempts })}</h2>
      <dl class="wb-facts">
        <div>
          <dt>{t('wbVerdict')}</dt>
          <dd>{t(`wbVerdict.${attempt.verdict}`)}</dd>
        </div>
        <div>
          <dt>{t('wbReceived')}</dt>
          <dd>
            {shanghaiTime(attempt.receivedAt, lang)}{' '}
            <span class={attempt.timeliness.onTime ? 'wb-tag' : 'wb-tag wb-late'}>
              {attempt.timeliness.onTime ? t('wbOnTime') : t('wbLateBy', { days: lateDays })}
            </span>
          </dd>
        </div>
        <div>
          <dt>{t('wbDue')}</dt>
          <dd>{attempt.timeliness.lastDay}</dd>
        </div>
        <div>
          <dt>{t('wbWhere')}</dt>
          <dd>
            {named ? `${named.provinceName} ${named.cityName}` : `${view.province} ${view.city}`}
            <span class="wb-code">{attempt.enterpriseId}</span>
          </dd>
        </div>
      </dl>
      {view.supersededBy && <p class="wb-notice">{t('wbSuperseded')}</p>}
      {attempt.decision && (
        <div class="wb-notice" data-testid="decided">
          <p>
            {t('wbAlreadyDecided', {
              reviewer: attempt.decision.reviewer,
              level: levelName(attempt.decision.level),
              at: shanghaiTime(attempt.decision.decidedAt, lang),
              outcome: t(attempt.decision.outcome === 'accept' ? 'wbOutcomeAccept' : 'wbOutcomeReturn'),
            })}
          </p>
          {attempt.decision.comment && <p>{t('wbComment', { comment: attempt.decision.comment })}</p>}
        </div>
      )}
      {attempt.escalation && (
        <p class="wb-notice">
          {t('wbEscalatedBy', {
            reviewer: attempt.escalation.reviewer,
            at: shanghaiTime(attempt.escalation.escalatedAt, lang),
            comment: attempt.escalation.comment,
          })}
        </p>
      )}

      {/* On a wide screen the preview stands beside the issues; on a phone right under them. */}
      <div class={file ? 'wb-split wb-split-open' : 'wb-split'}>
        <div class="wb-area-issues">
          <Issues context={context} view={view} evidenceByName={evidenceByName} onPreview={(f) => setPreviewing(f.key)} />
        </div>
        {file && (
          <div class="wb-area-preview">
            <Preview context={context} file={file} onClose={() => setPreviewing(undefined)} />
          </div>
        )}
        <div class="wb-area-rest">
          <RecentMonths context={context} view={view} history={history} />
          <Files context={context} files={view.files} onPreview={(f) => setPreviewing(f.key)} />
        </div>
      </div>

      <DecisionForm context={context} view={view} onDecided={(outcome) => onDecided(outcome, view)} />
    </article>
  );
}

function Issues({
  context,
  view,
  evidenceByName,
  onPreview,
}: {
  context: AppContext;
  view: AttemptView;
  evidenceByName: ReadonlyMap<string, FileWithLink>;
  onPreview: (file: FileWithLink) => void;
}) {
  const { t } = context;
  const groups = groupIssues(view.attempt.validation.issues);
  return (
    <section aria-labelledby="wb-issues-title">
      <h3 id="wb-issues-title">{t('wbIssues')}</h3>
      {groups.length === 0 && <p>{t('wbNoIssues')}</p>}
      {groups.map((group) => (
        <section key={group.unitId ?? ''} class="wb-unit" aria-label={group.unitId === undefined ? t('wbWholeReport') : t('wbUnit', { unit: group.unitId })}>
          <h4>{group.unitId === undefined ? t('wbWholeReport') : t('wbUnit', { unit: group.unitId })}</h4>
          {group.bySeverity.map(({ severity, issues }) => (
            <div key={severity} class={`wb-severity wb-${severity}`}>
              <h5>
                {t(`wbSeverity.${severity}`)} ({issues.length})
              </h5>
              <ul class="wb-issues">
                {issues.map((issue) => (
                  <IssueItem key={issueKey(issue)} context={context} issue={issue} view={view} evidenceByName={evidenceByName} onPreview={onPreview} />
                ))}
              </ul>
            </div>
          ))}
        </section>
      ))}
    </section>
  );
}

function IssueItem({
  context,
  issue,
  view,
  evidenceByName,
  onPreview,
}: {
  context: AppContext;
  issue: Issue;
  view: AttemptView;
  evidenceByName: ReadonlyMap<string, FileWithLink>;
  onPreview: (file: FileWithLink) => void;
}) {
  const { t, lang } = context;
  const evidenceName = evidenceFileOf(issue, view.attempt.report);
  const evidence = evidenceName ? evidenceByName.get(evidenceName) : undefined;
  const where = [issue.field ? parameterName(issue.field, lang) : '', issue.row ? t('wbRow', { row: issue.row }) : '', issue.cell ?? '']
    .filter(Boolean)
    .join(' · ');
  return (
    <li class="wb-issue" data-code={issue.code}>
      <p class="wb-issue-message">{issue.message[lang]}</p>
      <dl class="wb-issue-facts">
        {where && (
          <div>
            <dt>{t('wbLocation')}</dt>
            <dd>{where}</dd>
          </div>
        )}
        {issue.found !== undefined && (
          <div>
            <dt>{t('wbFound')}</dt>
            <dd>{issue.found}</dd>
          </div>
        )}
        {issue.expected !== undefined && (
          <div>
            <dt>{t('wbExpected')}</dt>
            <dd>{issue.expected}</dd>
          </div>
        )}
        {evidenceName && (
          <div>
            <dt>{t('wbEvidence')}</dt>
            <dd>
              {evidence?.url ? (
                <button type="button" class="wb-link" onClick={() => onPreview(evidence)}>
                  {t('wbPreview', { file: evidenceName })}
                </button>
              ) : (
                evidenceName
              )}
            </dd>
          </div>
        )}
      </dl>
      <span class="wb-code">{issue.code}</span>
    </li>
  );
}

function Files({ context, files, onPreview }: { context: AppContext; files: readonly FileWithLink[]; onPreview: (file: FileWithLink) => void }) {
  const { t } = context;
  return (
    <section aria-labelledby="wb-files-title">
      <h3 id="wb-files-title">{t('wbFiles')}</h3>
      <ul class="wb-files">
        {files.map((file) => (
          <li key={file.key}>
            <span class="wb-tag">{t(file.role === 'report' ? 'wbReportFile' : 'wbEvidenceFile')}</span> <span class="wb-file-name">{file.fileName}</span>{' '}
            <span class="wb-muted">{Math.max(1, Math.round(file.size / 1024))} KB</span>{' '}
            {file.unreadable ? (
              <span class="wb-error-text">{t('wbUnreadable', { reason: file.unreadable })}</span>
            ) : (
              file.url && (
                <>
                  {file.role === 'evidence' && (
                    <button type="button" class="wb-link" onClick={() => onPreview(file)}>
                      {t('wbPreview', { file: file.fileName })}
                    </button>
                  )}{' '}
                  <a href={file.url} rel="noopener">
                    {t('wbDownload', { file: file.fileName })}
                  </a>
                </>
              )
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
