/**
 * The enterprise portal (企业端): the months the enterprise owes with their deadlines and
 * standing, the month's template to fill, a deposit in one step — the report checked here with
 * the pipeline's own code before anything is uploaded, then every file straight to the bucket
 * with its progress — and the verdict, the reviewer's decision, the receipt and every attempt.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Issue } from '#domain/issues.ts';
import type { Enterprise } from '#domain/registry.ts';
import { ApiError, type AppContext } from '../app-context.ts';
import { type BrowserPrecheck, type ChosenFile, columnOf, inspectFile, precheck } from './precheck.ts';
import { type OpenedDeposit, putFile } from './upload.ts';
import './portal.css';

type T = AppContext['t'];

// ── What the API answers (shared/app/department-queries.ts, show-attempt.ts) ─────────────────

interface AttemptSummary {
  readonly attempt: number;
  readonly attemptId: string;
  readonly reportKey: string;
  readonly receivedAt: string;
  readonly onTime: boolean;
  readonly verdict: string;
  readonly errors: number;
  readonly warnings: number;
}

interface HistoryPeriod {
  readonly period: string;
  readonly submission?: 'pending' | 'missing' | 'on-time' | 'late';
  readonly lastDay?: string;
  readonly dueAt?: string;
  readonly lateBySeconds?: number;
  readonly obliged?: false;
  readonly attempts: readonly AttemptSummary[];
}

interface History {
  readonly enterpriseId: string;
  readonly enterprise: (Enterprise & { readonly cityName?: string }) | null;
  readonly periods: readonly HistoryPeriod[];
}

interface Decision {
  readonly outcome: 'accept' | 'return';
  readonly reviewer: string;
  readonly level: 'city' | 'province';
  readonly decidedAt: string;
  readonly comment: string;
  readonly issueComments: readonly { code: string; unitId?: string; field?: string; comment: string }[];
}

interface AttemptView {
  readonly attempt: {
    readonly attemptId: string;
    readonly period: string;
    readonly receivedAt: string;
    readonly verdict: string;
    readonly timeliness: { readonly onTime: boolean; readonly lateBySeconds: number };
    readonly validation: { readonly stats: { errors: number; warnings: number; infos: number }; readonly issues: readonly Issue[] };
    readonly decision?: Decision;
  };
  readonly attemptNumber: number;
  readonly history: readonly {
    readonly attempt: number;
    readonly attemptId: string;
    readonly receivedAt: string;
    readonly onTime: boolean;
    readonly verdict: string;
    readonly errors: number;
    readonly warnings: number;
    readonly decision?: { outcome: string; reviewer: string; level: string; decidedAt: string };
  }[];
}

// ── Small helpers ────────────────────────────────────────────────────────────────────────────

const DAY = 86_400_000;
/** Months shown before "all months": a phone shows them without scrolling far. */
const RECENT_MONTHS = 6;

/** An instant as Beijing time, whatever the browser's zone: deadlines and receipts are judged there. */
function beijing(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

function sizeText(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const REPORT_EXTENSIONS = /\.(xlsx|csv|json)$/i;
const verdictKey = (verdict: string) => `verdict${verdict.charAt(0).toUpperCase()}${verdict.slice(1)}`;

function standingOf(t: T, p: HistoryPeriod): { text: string; tone: string } {
  const latest = p.attempts.at(-1);
  if (latest) {
    const timing = t(p.submission === 'late' ? 'standingLate' : 'standingOnTime');
    return { text: `${t(verdictKey(latest.verdict))} · ${timing}`, tone: latest.verdict };
  }
  return p.submission === 'missing' ? { text: t('standingMissing'), tone: 'missing' } : { text: t('standingPending'), tone: 'pending' };
}

function daysOf(t: T, p: HistoryPeriod, now: number): string {
  if (p.lateBySeconds && p.lateBySeconds > 0) return t('daysLate', { n: Math.max(1, Math.ceil(p.lateBySeconds / 86_400)) });
  if (p.attempts.length > 0 || !p.dueAt) return '—';
  const left = Math.ceil((Date.parse(p.dueAt) - now) / DAY);
  return left <= 1 ? t('dueToday') : t('daysLeft', { n: left });
}

function whereOf(t: T, issue: Issue): string {
  const column = columnOf(issue);
  if (issue.row !== undefined && column) return t('whereRowColumn', { row: issue.row, column });
  if (issue.row !== undefined) return t('whereRow', { row: issue.row });
  if (issue.field) return t('whereField', { field: issue.field });
  return '—';
}

/** The level heading of each industry's facilities (a power unit, or one the registry does not list, is 机组 / Unit). */
const LEVEL_MESSAGES: Readonly<Record<string, string>> = { cement: 'levelCement', aluminium: 'levelAluminium', steel: 'levelSteel' };

/** A group's heading: the facility by its industry's level (熟料生产线 L1, 工序 IRON), a power unit as 机组 1. */
function facilityHeading(t: T, unit: string, enterprise: Pick<Enterprise, 'units'> | undefined): string {
  const industry = enterprise?.units.find((u) => u.unitId === unit)?.industry;
  const level = industry ? LEVEL_MESSAGES[industry] : undefined;
  return level ? t('facilityHeading', { level: t(level), unit }) : t('unitHeading', { unit });
}

function download(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

// ── The issues table, used for the pre-check and for an attempt ──────────────────────────────

function IssuesByUnit({
  t,
  lang,
  issues,
  idPrefix,
  enterprise,
}: {
  t: T;
  lang: 'zh' | 'en';
  issues: readonly Issue[];
  idPrefix: string;
  enterprise?: Pick<Enterprise, 'units'> | undefined;
}) {
  const groups = new Map<string, Issue[]>();
  for (const issue of issues) groups.set(issue.unitId ?? '', [...(groups.get(issue.unitId ?? '') ?? []), issue]);
  const ordered = [...groups.entries()].sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b, 'zh', { numeric: true })));
  return (
    <div class="issues">
      {ordered.map(([unit, list], g) => (
        <section key={unit} aria-labelledby={`${idPrefix}-unit-${g}`}>
          <h4 id={`${idPrefix}-unit-${g}`}>{unit ? facilityHeading(t, unit, enterprise) : t('wholeReport')}</h4>
          <ul class="issue-list">
            {list.map((issue, i) => (
              <li key={i} class={`issue ${issue.severity}`} data-code={issue.code}>
                <span class={`badge ${issue.severity}`}>{t(`severity${issue.severity.charAt(0).toUpperCase()}${issue.severity.slice(1)}`)}</span>{' '}
                <span class="where">{whereOf(t, issue)}</span>
                <p class="message">{issue.message[lang]}</p>
                <dl>
                  {issue.expected !== undefined && (
                    <>
                      <dt>{t('colExpected')}</dt>
                      <dd>{issue.expected}</dd>
                    </>
                  )}
                  {issue.found !== undefined && (
                    <>
                      <dt>{t('colFound')}</dt>
                      <dd>{issue.found}</dd>
                    </>
                  )}
                </dl>
                <code class="code">{issue.code}</code>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

// ── The portal ───────────────────────────────────────────────────────────────────────────────

type Phase =
  | { kind: 'idle' }
  | { kind: 'checking' }
  | { kind: 'checked'; result?: BrowserPrecheck; failed?: string }
  | { kind: 'opening' }
  | { kind: 'uploading' }
  | { kind: 'waiting'; since: number; seconds: number }
  | { kind: 'slow' }
  | { kind: 'failed'; message: string };

interface Progress {
  readonly fileName: string;
  readonly loaded: number;
  readonly total: number;
}

export default function Portal({ context }: { context: AppContext }) {
  const { api, me, t, lang } = context;
  const enterpriseId = me.enterpriseId ?? '';
  const [history, setHistory] = useState<History | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [period, setPeriod] = useState<string>('');
  const [templateNote, setTemplateNote] = useState<string | undefined>();
  const [report, setReport] = useState<ChosenFile | undefined>();
  const [evidence, setEvidence] = useState<ChosenFile[]>([]);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [progress, setProgress] = useState<Progress[]>([]);
  const [shown, setShown] = useState<AttemptView | undefined>();
  const [dragging, setDragging] = useState(false);
  const [allMonths, setAllMonths] = useState(false);
  const resultRef = useRef<HTMLElement>(null);
  const depositRef = useRef<HTMLElement>(null);
  const checkRun = useRef(0);

  const historyPath = `/enterprises/${encodeURIComponent(enterpriseId)}/history`;
  const loadHistory = async (): Promise<History> => {
    const answer = await api.json<History>(historyPath);
    setHistory(answer);
    return answer;
  };

  useEffect(() => {
    loadHistory().then(
      (answer) => {
        // The month to work on: the latest owed month not yet accepted, else the latest.
        const owed = answer.periods.filter((p) => p.obliged !== false);
        const open = [...owed].reverse().find((p) => p.attempts.at(-1)?.verdict !== 'accepted');
        setPeriod((open ?? owed.at(-1))?.period ?? '');
      },
      (error: unknown) => setLoadError(error instanceof ApiError && error.status === 404 ? t('portalNotRegistered', { id: enterpriseId }) : errorText(error)),
    );
  }, []);

  const owed = useMemo(() => (history?.periods ?? []).filter((p) => p.obliged !== false), [history]);
  const enterprise = history?.enterprise ?? undefined;

  // The pre-check runs again whenever the report, the evidence or the month changes.
  useEffect(() => {
    if (!report || !enterprise || !period) {
      if (phase.kind === 'checking' || phase.kind === 'checked') setPhase({ kind: 'idle' });
      return;
    }
    const run = ++checkRun.current;
    setPhase({ kind: 'checking' });
    precheck({ enterprise, period, report, evidence, now: new Date() }).then(
      (result) => run === checkRun.current && setPhase({ kind: 'checked', result }),
      (error: unknown) => run === checkRun.current && setPhase({ kind: 'checked', failed: errorText(error) }),
    );
  }, [report, evidence, period, enterprise]);

  const choose = async (files: readonly File[]) => {
    const { EVIDENCE_HEAD_BYTES, REPORT_HEAD_BYTES } = await import('#domain/file-types.ts');
    const reports = files.filter((f) => REPORT_EXTENSIONS.test(f.name));
    const others = files.filter((f) => !REPORT_EXTENSIONS.test(f.name));
    if (reports[0]) setReport(await inspectFile(reports[0], REPORT_HEAD_BYTES));
    if (others.length > 0) {
      const added = await Promise.all(others.map((f) => inspectFile(f, EVIDENCE_HEAD_BYTES)));
      setEvidence((current) => [...current.filter((c) => !added.some((a) => a.fileName === c.fileName)), ...added]);
    }
  };
  const chooseReport = async (file: File | undefined) => {
    if (!file) return;
    const { REPORT_HEAD_BYTES } = await import('#domain/file-types.ts');
    setReport(await inspectFile(file, REPORT_HEAD_BYTES));
  };
  const chooseEvidence = async (files: readonly File[]) => {
    const { EVIDENCE_HEAD_BYTES } = await import('#domain/file-types.ts');
    const added = await Promise.all(files.map((f) => inspectFile(f, EVIDENCE_HEAD_BYTES)));
    setEvidence((current) => [...current.filter((c) => !added.some((a) => a.fileName === c.fileName)), ...added]);
  };

  const downloadTemplate = async () => {
    setTemplateNote(undefined);
    try {
      const answer = await api.json<{ fileName: string; contentType: string; base64: string }>(
        `/enterprises/${encodeURIComponent(enterpriseId)}/template?period=${encodeURIComponent(period)}`,
      );
      const bytes = Uint8Array.from(atob(answer.base64), (c) => c.charCodeAt(0));
      download(answer.fileName, new Blob([bytes], { type: answer.contentType }));
      setTemplateNote(t('templateReady', { fileName: answer.fileName }));
    } catch (error) {
      setTemplateNote(t('error', { message: errorText(error) }));
    }
  };

  const showAttempt = async (attemptId: string) => {
    const view = await api.json<AttemptView>(`/attempts/${encodeURIComponent(attemptId)}`);
    setShown(view);
    requestAnimationFrame(() => resultRef.current?.focus());
  };

  const deposit = async () => {
    if (!report) return;
    setShown(undefined);
    setPhase({ kind: 'opening' });
    try {
      const opened = await api.json<OpenedDeposit>(`/enterprises/${encodeURIComponent(enterpriseId)}/deposits`, {
        method: 'POST',
        body: {
          period,
          report: { fileName: report.fileName, size: report.size, sha256: report.sha256 },
          evidence: evidence.map((f) => ({ fileName: f.fileName, size: f.size, sha256: f.sha256 })),
        },
      });
      const fileOf = new Map([...evidence, report].map((f) => [f.fileName, f.file]));
      setProgress(opened.uploads.map((u) => ({ fileName: u.fileName, loaded: 0, total: u.size })));
      setPhase({ kind: 'uploading' });
      // One after the other, in the API's order: evidence first, the report (which starts validation) last.
      for (const [i, upload] of opened.uploads.entries()) {
        const file = fileOf.get(upload.fileName);
        if (!file) throw new Error(upload.fileName);
        await putFile(upload, file, (loaded, total) =>
          setProgress((current) => current.map((p, j) => (j === i ? { fileName: p.fileName, loaded, total } : p))),
        );
      }
      const reportKey = opened.uploads.find((u) => u.role === 'report')?.key;
      const since = Date.now();
      setPhase({ kind: 'waiting', since, seconds: 0 });
      // Intake records the attempt seconds after the report lands: ask the history until it is there.
      for (let tries = 0; tries < 90; tries++) {
        await new Promise((resolve) => setTimeout(resolve, tries < 10 ? 1000 : 2000));
        setPhase({ kind: 'waiting', since, seconds: Math.round((Date.now() - since) / 1000) });
        const answer = await loadHistory();
        const found = answer.periods.find((p) => p.period === period)?.attempts.find((a) => a.reportKey === reportKey);
        if (found) {
          setReport(undefined);
          setEvidence([]);
          setProgress([]);
          setPhase({ kind: 'idle' });
          await showAttempt(found.attemptId);
          return;
        }
      }
      setPhase({ kind: 'slow' });
    } catch (error) {
      setPhase({ kind: 'failed', message: error instanceof ApiError ? `${error.message}` : errorText(error) });
    }
  };

  const downloadReceipt = async (attemptId: string) => {
    const receipt = await api.json<unknown>(`/attempts/${encodeURIComponent(attemptId)}/receipt`);
    download(`receipt-${attemptId}.json`, new Blob([`${JSON.stringify(receipt, null, 2)}\n`], { type: 'application/json' }));
  };

  if (loadError) {
    return (
      <>
        <h2>{t('portalTitle')}</h2>
        <p role="alert">{loadError}</p>
      </>
    );
  }
  if (!history) {
    return (
      <>
        <h2>{t('portalTitle')}</h2>
        <p role="status">{t('loading')}</p>
      </>
    );
  }

  const now = Date.now();
  const checked = phase.kind === 'checked' ? phase : undefined;
  const stats = checked?.result?.validation.stats;
  const blocked = !report || phase.kind === 'checking' || (stats !== undefined && stats.errors > 0) || (checked?.result?.missingEvidence.length ?? 0) > 0;
  const busy = phase.kind === 'opening' || phase.kind === 'uploading' || phase.kind === 'waiting';
  const periodOptions = [...owed].reverse();

  return (
    <div class="portal">
      <h2>{t('portalTitle')}</h2>
      {enterprise && <p class="enterprise">{t('portalEnterprise', { name: enterprise.name, id: enterprise.enterpriseId })}</p>}

      <section aria-labelledby="months-title" class="card">
        <h3 id="months-title">{t('monthsTitle')}</h3>
        {owed.length === 0 ? (
          <p>{t('monthsNone')}</p>
        ) : (
          <div class="table-scroll months-scroll">
            <table class="months">
              <caption>{t('monthsCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('colPeriod')}</th>
                  <th scope="col">{t('colDeadline')}</th>
                  <th scope="col">{t('colDays')}</th>
                  <th scope="col">{t('colStanding')}</th>
                  <th scope="col">{t('colAction')}</th>
                </tr>
              </thead>
              <tbody>
                {(allMonths ? [...owed] : owed.slice(-RECENT_MONTHS)).reverse().map((p) => {
                  const standing = standingOf(t, p);
                  const latest = p.attempts.at(-1);
                  return (
                    <tr key={p.period} data-period={p.period}>
                      <th scope="row">{p.period}</th>
                      <td data-label={t('colDeadline')}>{p.lastDay ?? '—'}</td>
                      <td data-label={t('colDays')}>{daysOf(t, p, now)}</td>
                      <td data-label={t('colStanding')}>
                        <span class={`standing ${standing.tone}`}>{standing.text}</span>
                      </td>
                      <td class="actions">
                        {latest && (
                          <button type="button" onClick={() => void showAttempt(latest.attemptId)}>
                            {t('actionShow', { period: p.period })}
                          </button>
                        )}
                        {latest?.verdict !== 'accepted' && (
                          <button
                            type="button"
                            onClick={() => {
                              setPeriod(p.period);
                              depositRef.current?.focus();
                            }}
                          >
                            {t('actionDeposit', { period: p.period })}
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {owed.length > RECENT_MONTHS && (
          <p>
            <button type="button" aria-expanded={allMonths} onClick={() => setAllMonths(!allMonths)}>
              {allMonths
                ? t('monthsRecent', { n: RECENT_MONTHS })
                : t('monthsAll', {
                    n: owed.length,
                    missing: owed.slice(0, -RECENT_MONTHS).filter((p) => p.attempts.length === 0 && p.submission === 'missing').length,
                  })}
            </button>
          </p>
        )}
      </section>

      <section aria-labelledby="deposit-title" class="card" ref={depositRef} tabIndex={-1}>
        <h3 id="deposit-title">{t('depositTitle')}</h3>
        <p>
          <label for="period">{t('periodLabel')}</label>{' '}
          <select id="period" value={period} onChange={(e) => setPeriod((e.target as HTMLSelectElement).value)} disabled={busy}>
            {periodOptions.map((p) => (
              <option key={p.period} value={p.period}>
                {p.period}
              </option>
            ))}
          </select>
        </p>

        <div class="template">
          <h4 id="template-title">{t('templateTitle')}</h4>
          <p class="hint">{t('templateHint')}</p>
          <button type="button" onClick={() => void downloadTemplate()} disabled={!period}>
            {t('templateDownload', { period })}
          </button>
          {templateNote && (
            <p role="status" class="note">
              {templateNote}
            </p>
          )}
        </div>

        <div class="files">
          <p>
            <label for="report-file">{t('reportLabel')}</label>
            <input
              id="report-file"
              type="file"
              accept=".xlsx,.csv,.json"
              disabled={busy}
              onChange={(e) => {
                const input = e.target as HTMLInputElement;
                void chooseReport(input.files?.[0]);
                input.value = '';
              }}
            />
          </p>
          <p>
            <label for="evidence-files">{t('evidenceLabel')}</label>
            <input
              id="evidence-files"
              type="file"
              multiple
              accept=".pdf,.jpg,.jpeg,.png,.ofd"
              disabled={busy}
              onChange={(e) => {
                const input = e.target as HTMLInputElement;
                void chooseEvidence([...(input.files ?? [])]);
                input.value = '';
              }}
            />
          </p>
          {/* biome-ignore lint/a11y/noStaticElementInteractions: a drop target only; the two file inputs above are the keyboard's (and a screen reader's) way in */}
          <div
            class={`drop${dragging ? ' over' : ''}`}
            data-testid="drop-zone"
            onDragOver={(e) => {
              e.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={(e) => {
              e.preventDefault();
              setDragging(false);
              if (!busy) void choose([...(e.dataTransfer?.files ?? [])]);
            }}
          >
            {t('dropZone')}
          </div>
          {(report || evidence.length > 0) && (
            <ul class="chosen" aria-label={t('chosenEvidence', { n: evidence.length })}>
              {report && (
                <li>
                  {t('chosenReport', { name: report.fileName, size: sizeText(report.size) })}{' '}
                  <button type="button" class="small" disabled={busy} onClick={() => setReport(undefined)}>
                    {t('removeFile', { name: report.fileName })}
                  </button>
                </li>
              )}
              {evidence.map((f) => (
                <li key={f.fileName}>
                  {f.fileName}（{sizeText(f.size)}）{' '}
                  <button type="button" class="small" disabled={busy} onClick={() => setEvidence((c) => c.filter((x) => x.fileName !== f.fileName))}>
                    {t('removeFile', { name: f.fileName })}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>

        <div aria-live="polite" data-testid="precheck">
          {phase.kind === 'checking' && <p role="status">{t('checking')}</p>}
          {checked?.failed && <p class="warn-text">{t('checkFailed', { message: checked.failed })}</p>}
          {checked?.result && stats && (
            <section aria-labelledby="precheck-title" class="precheck">
              <h4 id="precheck-title">{t('precheckTitle')}</h4>
              <p class={stats.errors > 0 ? 'error-text' : stats.warnings > 0 ? 'warn-text' : 'ok-text'} data-testid="precheck-summary">
                {stats.errors > 0
                  ? t('checkErrors', { errors: stats.errors, warnings: stats.warnings })
                  : stats.warnings > 0
                    ? t('checkWarnings', { warnings: stats.warnings })
                    : t('checkPassed')}
              </p>
              {checked.result.missingEvidence.length > 0 && (
                <div class="error-text" data-testid="missing-evidence">
                  <p>{t('missingEvidence')}</p>
                  <ul>
                    {checked.result.missingEvidence.map((name) => (
                      <li key={name}>{name}</li>
                    ))}
                  </ul>
                </div>
              )}
              {checked.result.unreferenced.length > 0 && (
                <p class="hint">
                  {t('unreferencedEvidence')} {checked.result.unreferenced.join('、')}
                </p>
              )}
              {checked.result.validation.issues.length > 0 && (
                <IssuesByUnit t={t} lang={lang} issues={checked.result.validation.issues} idPrefix="pre" enterprise={enterprise} />
              )}
            </section>
          )}
        </div>

        <p>
          <button type="button" class="primary" disabled={blocked || busy} onClick={() => void deposit()}>
            {t('submit')}
          </button>{' '}
          {!report && !busy && <span class="hint">{t('needReport')}</span>}
          {report && stats && stats.errors > 0 && <span class="hint">{t('submitBlocked')}</span>}
        </p>

        {(progress.length > 0 || busy || phase.kind === 'slow' || phase.kind === 'failed') && (
          <section aria-labelledby="upload-title" class="upload" data-testid="upload">
            <h4 id="upload-title">{t('uploadTitle')}</h4>
            <div role="status" aria-live="polite" data-testid="upload-status">
              {phase.kind === 'opening' && t('opening')}
              {phase.kind === 'uploading' && t('uploading')}
              {phase.kind === 'waiting' && t('waiting', { seconds: phase.seconds })}
              {phase.kind === 'slow' && t('waitingSlow')}
            </div>
            {phase.kind === 'failed' && <p role="alert">{t('uploadFailed', { message: phase.message })}</p>}
            {phase.kind === 'waiting' && <progress aria-label={t('waiting', { seconds: phase.seconds })} />}
            <ul class="progress-list">
              {progress.map((p, i) => {
                const percent = p.total ? Math.round((100 * p.loaded) / p.total) : 0;
                const label = t('uploadFile', { name: p.fileName, percent });
                return (
                  <li key={p.fileName}>
                    <label for={`progress-${i}`}>{label}</label>
                    <progress id={`progress-${i}`} max={100} value={percent} data-file={p.fileName} />
                  </li>
                );
              })}
            </ul>
          </section>
        )}
      </section>

      {shown && <Result t={t} lang={lang} view={shown} sectionRef={resultRef} onShow={showAttempt} onReceipt={downloadReceipt} enterprise={enterprise} />}
    </div>
  );
}

function Result({
  t,
  lang,
  view,
  sectionRef,
  onShow,
  onReceipt,
  enterprise,
}: {
  t: T;
  lang: 'zh' | 'en';
  view: AttemptView;
  sectionRef: { current: HTMLElement | null };
  onShow: (attemptId: string) => Promise<void>;
  onReceipt: (attemptId: string) => Promise<void>;
  enterprise?: Pick<Enterprise, 'units'> | undefined;
}) {
  const { attempt } = view;
  const { stats, issues } = attempt.validation;
  const decision = attempt.decision;
  const level = (l: string) => t(l === 'province' ? 'levelProvince' : 'levelCity');
  return (
    <section aria-labelledby="result-title" class="card result" ref={sectionRef} tabIndex={-1} data-testid="result">
      <h3 id="result-title">{t('resultTitle', { period: attempt.period, n: view.attemptNumber })}</h3>
      <p>
        <span class={`standing ${attempt.verdict}`} data-testid="verdict">
          {t(verdictKey(attempt.verdict))}
        </span>{' '}
        {attempt.timeliness.onTime ? t('onTimeYes') : t('onTimeNo', { n: Math.max(1, Math.ceil(attempt.timeliness.lateBySeconds / 86_400)) })}
      </p>
      <p>{t('receivedAt', { time: beijing(attempt.receivedAt) })}</p>
      <p>{t('counts', stats)}</p>

      <h4>{t('decisionTitle')}</h4>
      {decision ? (
        <div class="decision" data-testid="decision">
          <p>
            {t(decision.outcome === 'accept' ? 'decisionAccept' : 'decisionReturn', {
              level: level(decision.level),
              reviewer: decision.reviewer,
              time: beijing(decision.decidedAt),
            })}
          </p>
          {decision.comment && <p>{t('decisionComment', { comment: decision.comment })}</p>}
          {decision.issueComments.length > 0 && (
            <ul>
              {decision.issueComments.map((c, i) => (
                <li key={i}>
                  {c.unitId ? `${facilityHeading(t, c.unitId, enterprise)} · ` : ''}
                  {c.field ? `${c.field} · ` : ''}
                  <code>{c.code}</code>：{c.comment}
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : (
        <p>{attempt.verdict === 'needs-review' || stats.errors + stats.warnings > 0 ? t('decisionPending') : '—'}</p>
      )}

      <h4>{t('issuesTitle')}</h4>
      {issues.length === 0 ? <p>{t('noIssues')}</p> : <IssuesByUnit t={t} lang={lang} issues={issues} idPrefix="res" enterprise={enterprise} />}

      <p>
        <button type="button" onClick={() => void onReceipt(attempt.attemptId)}>
          {t('receiptDownload')}
        </button>{' '}
        <span class="hint">{t('receiptHint')}</span>
      </p>

      <h4 id="attempts-title">{t('attemptsTitle')}</h4>
      <div class="table-scroll">
        <table aria-labelledby="attempts-title">
          <thead>
            <tr>
              <th scope="col">{t('colAttempt')}</th>
              <th scope="col">{t('colReceived')}</th>
              <th scope="col">{t('colVerdict')}</th>
              <th scope="col">{t('colDecision')}</th>
            </tr>
          </thead>
          <tbody>
            {view.history.map((a) => (
              <tr key={a.attemptId} aria-current={a.attemptId === attempt.attemptId ? 'true' : undefined}>
                <th scope="row">
                  {a.attemptId === attempt.attemptId ? (
                    a.attempt
                  ) : (
                    <button type="button" class="small" onClick={() => void onShow(a.attemptId)}>
                      {t('attemptShow', { n: a.attempt })}
                    </button>
                  )}
                </th>
                <td>
                  {beijing(a.receivedAt)} · {a.onTime ? t('standingOnTime') : t('standingLate')}
                </td>
                <td>
                  {t(verdictKey(a.verdict))} · {t('countsShort', { errors: a.errors, warnings: a.warnings })}
                </td>
                <td>{a.decision ? `${level(a.decision.level)} ${a.decision.reviewer} · ${beijing(a.decision.decidedAt)}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
