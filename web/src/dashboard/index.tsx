/**
 * The department dashboard (管理端): a scope's nightly rates month by month, its cities' league,
 * its problem codes, its late and missing list, its exports; drill-down from a city to an
 * enterprise's history and to one attempt's issues (read only: decisions are the workbench's).
 * Every figure is an API answer for the signed-in person's jurisdiction; nothing is computed here
 * but formatting. The page opens on the person's own jurisdiction (or `?scope=`), on the latest
 * month whose deadline has passed for everyone (or `?period=`); `?projector` enlarges it.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { AppContext } from '../app-context.ts';
import type { AttemptAnswer, ExportsAnswer, HistoryAnswer, LateAnswer, LeagueAnswer, LeagueRow, Standing, Summary, SummariesAnswer } from './answers.ts';
import { BarChart, RateChart, Sparkline } from './charts.tsx';
import { daysOverdue, percent, problemTitle, shanghaiTime, trendPoints } from './format.ts';
import './dashboard.css';

type T = AppContext['t'];

/** What is on screen below the scope: the scope itself, one of its enterprises, or one attempt. */
type View =
  | { readonly kind: 'scope' }
  | { readonly kind: 'enterprise'; readonly enterpriseId: string; readonly name: string }
  | { readonly kind: 'attempt'; readonly enterpriseId: string; readonly name: string; readonly attemptId: string; readonly attempt: number };

interface ScopeData {
  readonly scope: string;
  readonly period: string;
  readonly summaries: readonly Summary[];
  readonly league: LeagueAnswer | undefined;
  readonly late: LateAnswer;
  readonly exports: ExportsAnswer | undefined;
}

interface ScopeOption {
  readonly scope: string;
  readonly name: string;
}

const TREND_MONTHS = 6;
/** The industries the selector offers (the catalogues' codes, shared/domain/industries); '' is all of them. */
const INDUSTRY_OPTIONS = ['', 'power', 'cement', 'aluminium', 'steel'] as const;
const params = () => new URLSearchParams(location.search);

/** The most recent month whose deadline has passed for every obliged enterprise: the one to chase. */
function settledPeriod(summaries: readonly Summary[]): string | undefined {
  return (summaries.filter((s) => s.obliged > 0 && s.pending === 0).at(-1) ?? summaries.at(-1))?.period;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export default function Dashboard({ context }: { context: AppContext }) {
  const { api, me, t, lang } = context;
  const jurisdiction = me.jurisdiction;
  const own: ScopeOption | undefined = jurisdiction ? { scope: `${jurisdiction.kind}:${jurisdiction.code}`, name: jurisdiction.name } : undefined;
  const [scopes, setScopes] = useState<readonly ScopeOption[]>(own ? [own] : []);
  const [scope, setScope] = useState<string | undefined>(() => params().get('scope') ?? own?.scope);
  const [askedPeriod, setAskedPeriod] = useState<string | undefined>(() => params().get('period') ?? undefined);
  // One industry's figures (`?industry=cement`): summaries, league and late list are asked for it.
  const [industry, setIndustry] = useState<string>(() => params().get('industry') ?? '');
  const [projector, setProjector] = useState(() => params().has('projector'));
  const [view, setView] = useState<View>({ kind: 'scope' });
  const [data, setData] = useState<ScopeData | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);

  // A province's department picks any of its cities: the league of its jurisdiction lists them all.
  useEffect(() => {
    if (!own || jurisdiction?.kind !== 'province') return;
    api
      .json<LeagueAnswer>(`/league?months=1&scope=${encodeURIComponent(own.scope)}`)
      .then((league) => setScopes([own, ...league.rows.map((row) => ({ scope: `city:${row.city}`, name: row.cityName }))]))
      .catch((e: unknown) => setError(errorText(e)));
  }, []);

  useEffect(() => {
    if (!scope) return;
    let current = true;
    setData(undefined);
    setError(undefined);
    const q = (s: string) => encodeURIComponent(s);
    const of = industry ? `&industry=${q(industry)}` : '';
    (async () => {
      const { summaries, to } = await api.json<SummariesAnswer>(`/summaries?scope=${q(scope)}${of}`);
      const period = askedPeriod ?? settledPeriod(summaries) ?? to;
      const leagueable = /^(province|city):\d{6}$/.test(scope);
      const [league, late, exports] = await Promise.all([
        leagueable ? api.json<LeagueAnswer>(`/league?scope=${q(scope)}&period=${period}&months=${TREND_MONTHS}${of}`) : undefined,
        api.json<LateAnswer>(`/late?scope=${q(scope)}&period=${period}${of}`),
        // The export files are the place's, every industry's.
        leagueable ? api.json<ExportsAnswer>(`/exports?scope=${q(scope)}&period=${period}`) : undefined,
      ]);
      if (current) setData({ scope, period, summaries, league, late, exports });
    })().catch((e: unknown) => current && setError(errorText(e)));
    return () => {
      current = false;
    };
  }, [scope, askedPeriod, industry]);

  if (!own) return <p role="alert">{t('dashNoJurisdiction')}</p>;
  const options = scope && !scopes.some((s) => s.scope === scope) ? [...scopes, { scope, name: scope }] : scopes;
  const scopeName = options.find((s) => s.scope === scope)?.name ?? scope ?? '';
  const summary = data?.summaries.find((s) => s.period === data.period);
  const computedAt = summary?.computedAt ?? data?.league?.computedAt ?? undefined;
  const ready = error ? 'error' : data ? 'true' : 'false';
  const goScope = (next: string) => {
    setView({ kind: 'scope' });
    setScope(next);
  };

  return (
    <section
      class={projector ? 'dash projector' : 'dash'}
      data-testid="dashboard"
      data-ready={ready}
      data-scope={data?.scope}
      data-period={data?.period}
      data-industry={industry || undefined}
      data-view={view.kind}
      aria-labelledby="dash-title"
    >
      <h2 id="dash-title">{t('dashboardTitle')}</h2>
      <div class="dash-controls">
        <label>
          {t('dashScope')}
          <select data-testid="scope" value={scope} onChange={(e) => goScope((e.target as HTMLSelectElement).value)}>
            {options.map((o) => (
              <option key={o.scope} value={o.scope}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('dashIndustry')}
          <select
            data-testid="industry"
            value={industry}
            onChange={(e) => {
              setView({ kind: 'scope' });
              setIndustry((e.target as HTMLSelectElement).value);
            }}
          >
            {INDUSTRY_OPTIONS.map((code) => (
              <option key={code} value={code}>
                {t(`industry${code || 'all'}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('dashPeriod')}
          <select
            data-testid="period"
            value={data?.period}
            disabled={!data}
            onChange={(e) => {
              setView({ kind: 'scope' });
              setAskedPeriod((e.target as HTMLSelectElement).value);
            }}
          >
            {(data?.summaries.length ? data.summaries.map((s) => s.period) : data ? [data.period] : []).map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <button type="button" aria-pressed={projector} data-testid="projector" onClick={() => setProjector(!projector)}>
          {t('dashProjector')}
        </button>
      </div>
      <p class="dash-status" role="status" data-testid="status" data-computed-at={computedAt}>
        {error
          ? t('error', { message: error })
          : !data
            ? t('loading')
            : computedAt
              ? t('dashComputedAt', { time: shanghaiTime(computedAt, lang) })
              : t('dashNotComputed')}
        {data ? <span class="as-of">{` · ${t('dashLateAsOf', { time: shanghaiTime(data.late.asOf, lang) })}`}</span> : null}
      </p>
      <nav aria-label={t('dashBreadcrumb')} class="crumbs">
        <ol>
          {own.scope !== scope && (
            <li>
              <button type="button" class="link" onClick={() => goScope(own.scope)}>
                {own.name}
              </button>
            </li>
          )}
          <li>
            {view.kind === 'scope' ? (
              <span aria-current="page">{scopeName}</span>
            ) : (
              <button type="button" class="link" onClick={() => setView({ kind: 'scope' })}>
                {scopeName}
              </button>
            )}
          </li>
          {view.kind !== 'scope' && (
            <li>
              {view.kind === 'enterprise' ? (
                <span aria-current="page">{view.name}</span>
              ) : (
                <button type="button" class="link" onClick={() => setView({ kind: 'enterprise', enterpriseId: view.enterpriseId, name: view.name })}>
                  {view.name}
                </button>
              )}
            </li>
          )}
          {view.kind === 'attempt' && (
            <li>
              <span aria-current="page">{t('dashAttemptCrumb', { n: view.attempt })}</span>
            </li>
          )}
        </ol>
      </nav>
      {data && view.kind === 'scope' && (
        <ScopeView
          data={data}
          summary={summary}
          context={context}
          scopeName={scopeName}
          onCity={(code) => goScope(`city:${code}`)}
          onEnterprise={(enterpriseId, name) => setView({ kind: 'enterprise', enterpriseId, name })}
        />
      )}
      {view.kind === 'enterprise' && (
        <EnterpriseView
          key={view.enterpriseId}
          context={context}
          enterpriseId={view.enterpriseId}
          name={view.name}
          onAttempt={(attemptId, attempt) => setView({ kind: 'attempt', enterpriseId: view.enterpriseId, name: view.name, attemptId, attempt })}
        />
      )}
      {view.kind === 'attempt' && <AttemptView key={view.attemptId} context={context} attemptId={view.attemptId} name={view.name} />}
    </section>
  );
}

function ScopeView({
  data,
  summary,
  context,
  scopeName,
  onCity,
  onEnterprise,
}: {
  data: ScopeData;
  summary: Summary | undefined;
  context: AppContext;
  scopeName: string;
  onCity: (code: string) => void;
  onEnterprise: (enterpriseId: string, name: string) => void;
}) {
  const { t, lang } = context;
  const { period, summaries, league, late } = data;
  const showLeague = league && data.scope.startsWith('province:');
  const byCode = summary?.problems.byCode ?? [];
  return (
    <>
      <section class="tiles" aria-label={t('dashFigures', { period })}>
        <Tile title={t('dashOnTimeRate')} value={percent(summary?.onTimeRate)} testid="on-time-rate">
          {summary && t('dashOnTimeDetail', { onTime: summary.onTime, late: summary.late, missing: summary.missing })}
        </Tile>
        <Tile title={t('dashFirstPassRate')} value={percent(summary?.firstPassRate)} testid="first-pass-rate">
          {summary &&
            t('dashFirstPassDetail', {
              accepted: summary.firstPassAccepted,
              returned: summary.returned,
              withdrawn: summary.withdrawn ?? 0,
              awaiting: summary.awaitingReview,
            })}
        </Tile>
        <Tile title={t('dashObliged')} value={summary ? String(summary.obliged) : '—'} testid="obliged">
          {summary && t('dashObligedDetail', { pending: summary.pending, resubmitted: summary.resubmitted })}
        </Tile>
        <Tile title={t('dashProblems')} value={summary ? String(summary.problems.total) : '—'} testid="problems-total">
          {summary && t('dashProblemsDetail', { errors: summary.problems.bySeverity.error, warnings: summary.problems.bySeverity.warning })}
        </Tile>
      </section>

      {showLeague && <LeagueTable league={league} t={t} onCity={onCity} />}

      <section class="panel" aria-labelledby="late-title">
        <h3 id="late-title">{t('dashLate', { period, count: late.late.length, obliged: late.obliged })}</h3>
        {late.late.length === 0 ? (
          <p>{t('dashNoneLate')}</p>
        ) : (
          <div class="table-scroll">
            <table data-testid="late-table" class="stack">
              <thead>
                <tr>
                  <th scope="col">{t('dashEnterprise')}</th>
                  <th scope="col">{t('dashCity')}</th>
                  <th scope="col">{t('dashStanding')}</th>
                  <th scope="col">{t('dashLastDay')}</th>
                  <th scope="col">{t('dashOverdue')}</th>
                </tr>
              </thead>
              <tbody>
                {late.late.map((s) => (
                  <tr key={s.enterpriseId} data-enterprise-id={s.enterpriseId}>
                    <td data-label={t('dashEnterprise')}>
                      <button type="button" class="link" onClick={() => onEnterprise(s.enterpriseId, s.name)}>
                        {s.name}
                      </button>
                      <small class="id">{s.enterpriseId}</small>
                    </td>
                    <td data-label={t('dashCity')}>{s.cityName || s.city}</td>
                    <td data-label={t('dashStanding')} class={s.submission}>
                      {t(`submission${s.submission}`)}
                    </td>
                    <td data-label={t('dashLastDay')}>{s.lastDay}</td>
                    <td data-label={t('dashOverdue')} data-testid="overdue" data-days={daysOverdue(s.lateBySeconds)}>
                      {t('dashDays', { days: daysOverdue(s.lateBySeconds) })}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {data.scope.startsWith('city:') && <EnterpriseList data={data} context={context} onEnterprise={onEnterprise} />}

      <div class="charts">
        <section class="panel" aria-labelledby="rates-title">
          <h3 id="rates-title">{t('dashRatesChart')}</h3>
          {summaries.length > 0 && (
            <RateChart
              label={t('dashRatesChartLabel', { from: summaries[0]?.period ?? '', to: summaries.at(-1)?.period ?? '' })}
              labels={summaries.map((s) => s.period)}
              series={[
                { label: t('dashOnTimeRate'), className: 'on-time', values: summaries.map((s) => s.onTimeRate) },
                { label: t('dashFirstPassRate'), className: 'first-pass', values: summaries.map((s) => s.firstPassRate) },
              ]}
            />
          )}
        </section>
        <section class="panel" aria-labelledby="problems-chart-title">
          <h3 id="problems-chart-title">{t('dashProblemsChart', { period })}</h3>
          {byCode.length === 0 ? (
            <p>{t('dashNoProblems')}</p>
          ) : (
            <BarChart
              label={t('dashProblemsChartLabel', { period })}
              bars={byCode.map((p) => ({ key: p.code, label: problemTitle(p.code, lang), count: p.count, className: p.severity }))}
            />
          )}
        </section>
      </div>

      <ProblemCodes summary={summary} period={period} t={t} lang={lang} />

      <Exports data={data} context={context} scopeName={scopeName} />
    </>
  );
}

function Tile({ title, value, testid, children }: { title: string; value: string; testid: string; children?: unknown }) {
  return (
    <div class="tile">
      <h3>{title}</h3>
      <p class="figure" data-testid={testid}>
        {value}
      </p>
      <small data-testid={`${testid}-detail`}>{children as string}</small>
    </div>
  );
}

function trendLabel(t: T, rates: readonly (number | null)[]): { arrow: string; text: string } {
  const points = trendPoints(rates);
  if (points === undefined) return { arrow: '', text: t('dashTrendUnknown') };
  if (points > 0) return { arrow: '▲', text: t('dashTrendUp', { points: points.toFixed(1) }) };
  if (points < 0) return { arrow: '▼', text: t('dashTrendDown', { points: Math.abs(points).toFixed(1) }) };
  return { arrow: '＝', text: t('dashTrendFlat') };
}

function RateWithTrend({ rate, rates, t, testid }: { rate: number | null; rates: readonly (number | null)[]; t: T; testid: string }) {
  const trend = trendLabel(t, rates);
  return (
    <>
      <span data-testid={testid}>{percent(rate)}</span>{' '}
      <span class={`arrow ${trend.arrow === '▲' ? 'up' : trend.arrow === '▼' ? 'down' : ''}`} title={trend.text} aria-hidden="true">
        {trend.arrow}
      </span>
      <span class="visually-hidden">{trend.text}</span>
    </>
  );
}

function LeagueTable({ league, t, onCity }: { league: LeagueAnswer; t: T; onCity: (code: string) => void }) {
  return (
    <section class="panel" aria-labelledby="league-title">
      <h3 id="league-title">{t('dashLeague', { period: league.period })}</h3>
      <p class="hint">{t('dashLeagueHint')}</p>
      <div class="table-scroll">
        <table data-testid="league-table" class="stack">
          <thead>
            <tr>
              <th scope="col">{t('dashRank')}</th>
              <th scope="col">{t('dashCity')}</th>
              <th scope="col">{t('dashOnTimeRate')}</th>
              <th scope="col">{t('dashFirstPassRate')}</th>
              <th scope="col">{t('dashObliged')}</th>
              <th scope="col">{t('dashTrend', { months: league.months })}</th>
            </tr>
          </thead>
          <tbody>
            {league.rows.map((row: LeagueRow) => (
              <tr key={row.city} data-city={row.city}>
                <td data-label={t('dashRank')}>{row.rank ?? t('dashNoRank')}</td>
                <td data-label={t('dashCity')}>
                  <button type="button" class="link" onClick={() => onCity(row.city)}>
                    {row.cityName}
                  </button>
                </td>
                <td data-label={t('dashOnTimeRate')}>
                  <RateWithTrend rate={row.onTimeRate} rates={row.trend.map((p) => p.onTimeRate)} t={t} testid="league-on-time" />
                </td>
                <td data-label={t('dashFirstPassRate')}>
                  <RateWithTrend rate={row.firstPassRate} rates={row.trend.map((p) => p.firstPassRate)} t={t} testid="league-first-pass" />
                </td>
                <td data-label={t('dashObliged')}>{row.obliged ?? '—'}</td>
                <td data-label={t('dashTrend', { months: league.months })}>
                  <Sparkline
                    values={row.trend.map((p) => p.onTimeRate)}
                    label={`${row.cityName} ${t('dashOnTimeRate')}: ${row.trend.map((p) => `${p.period} ${percent(p.onTimeRate)}`).join('，')}`}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function ProblemCodes({ summary, period, t, lang }: { summary: Summary | undefined; period: string; t: T; lang: AppContext['lang'] }) {
  const byCode = summary?.problems.byCode ?? [];
  return (
    <section class="panel" aria-labelledby="problems-title">
      <h3 id="problems-title">{t('dashProblemCodes', { period })}</h3>
      {byCode.length === 0 ? (
        <p>{t('dashNoProblems')}</p>
      ) : (
        <div class="table-scroll">
          <table data-testid="problems-table" class="stack">
            <thead>
              <tr>
                <th scope="col">{t('dashProblemTitle')}</th>
                <th scope="col">{t('dashCode')}</th>
                <th scope="col">{t('dashSeverity')}</th>
                <th scope="col">{t('dashCount')}</th>
              </tr>
            </thead>
            <tbody>
              {byCode.map((p) => (
                <tr key={p.code} data-code={p.code}>
                  <td data-label={t('dashProblemTitle')} data-testid="problem-title">
                    {problemTitle(p.code, lang)}
                  </td>
                  <td data-label={t('dashCode')}>
                    <code>{p.code}</code>
                  </td>
                  <td data-label={t('dashSeverity')} class={p.severity}>
                    {t(`severity${p.severity}`)}
                  </td>
                  <td data-label={t('dashCount')}>{p.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Exports({ data, context, scopeName }: { data: ScopeData; context: AppContext; scopeName: string }) {
  const { t, lang } = context;
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | undefined>(undefined);
  const files = data.exports?.files ?? [];
  const download = async () => {
    setBusy(true);
    setFailed(undefined);
    try {
      // Loaded on the click, not with the page: the spreadsheet library outweighs the whole dashboard.
      const { buildWorkbook } = await import('./workbook.ts');
      const blob = await buildWorkbook({
        scope: data.scope,
        scopeName,
        period: data.period,
        summaries: data.summaries,
        league: data.league,
        late: data.late,
        lang,
        t,
      });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `dashboard-${data.scope.replace(':', '-')}-${data.period}.xlsx`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      setFailed(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel exports" aria-labelledby="exports-title">
      <h3 id="exports-title">{t('dashExports')}</h3>
      <button type="button" class="primary" data-testid="export-xlsx" disabled={busy} onClick={() => void download()}>
        {busy ? t('dashXlsxBusy') : t('dashXlsx')}
      </button>
      {failed && <p role="alert">{t('error', { message: failed })}</p>}
      {files.length === 0 ? (
        <p>{t('dashExportsNone')}</p>
      ) : (
        <ul>
          {files.map((f) => (
            <li key={f.fileName}>
              <a href={f.url} data-testid={`export-${f.fileName}`} download={f.fileName}>
                {t('dashExportFile', { file: f.fileName })}
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function useAnswer<A>(load: () => Promise<A>, keys: readonly unknown[]): { answer?: A; error?: string } {
  const [state, setState] = useState<{ answer?: A; error?: string }>({});
  useEffect(() => {
    let current = true;
    setState({});
    load().then(
      (answer) => current && setState({ answer }),
      (e: unknown) => current && setState({ error: errorText(e) }),
    );
    return () => {
      current = false;
    };
  }, keys);
  return state;
}

/**
 * A city's enterprises, each with its standing for the period: the nightly's summary.json for the
 * scope (GET /exports presigns it; the API has no route that lists a scope's enterprises). Where
 * the link cannot be read from the page (a bucket without CORS for the site), the CSV link says
 * where the list is.
 */
function EnterpriseList({ data, context, onEnterprise }: { data: ScopeData; context: AppContext; onEnterprise: (enterpriseId: string, name: string) => void }) {
  const { t } = context;
  const link = data.exports?.files.find((f) => f.fileName === 'summary.json')?.url;
  const { answer, error } = useAnswer(async () => {
    if (!link) return { standings: [] as Standing[] };
    const response = await fetch(link);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return (await response.json()) as { standings: Standing[] };
  }, [link]);
  const standings = [...(answer?.standings ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  return (
    <section class="panel" aria-labelledby="enterprises-title">
      <h3 id="enterprises-title">{t('dashEnterprises', { period: data.period, count: standings.length })}</h3>
      {!link ? (
        <p>{t('dashExportsNone')}</p>
      ) : error ? (
        <p>{t('dashEnterprisesUnreadable')}</p>
      ) : !answer ? (
        <p role="status">{t('loading')}</p>
      ) : (
        <div class="table-scroll">
          <table data-testid="enterprises-table" class="stack">
            <thead>
              <tr>
                <th scope="col">{t('dashEnterprise')}</th>
                <th scope="col">{t('dashStanding')}</th>
                <th scope="col">{t('dashFirstPass')}</th>
                <th scope="col">{t('dashAttempts')}</th>
                <th scope="col">{t('dashLatestVerdict')}</th>
              </tr>
            </thead>
            <tbody>
              {standings.map((s) => (
                <tr key={s.enterpriseId} data-enterprise-id={s.enterpriseId}>
                  <td data-label={t('dashEnterprise')}>
                    <button type="button" class="link" onClick={() => onEnterprise(s.enterpriseId, s.name)}>
                      {s.name}
                    </button>
                    <small class="id">{s.enterpriseId}</small>
                  </td>
                  <td data-label={t('dashStanding')} class={s.submission}>
                    {t(`submission${s.submission}`)}
                  </td>
                  <td data-label={t('dashFirstPass')}>{s.firstPass ? t(`firstPass${s.firstPass}`) : '—'}</td>
                  <td data-label={t('dashAttempts')}>{s.attempts ?? '—'}</td>
                  <td data-label={t('dashLatestVerdict')}>{s.latestVerdict ? t(`verdict${s.latestVerdict}`) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function EnterpriseView({
  context,
  enterpriseId,
  name,
  onAttempt,
}: {
  context: AppContext;
  enterpriseId: string;
  name: string;
  onAttempt: (attemptId: string, attempt: number) => void;
}) {
  const { api, t } = context;
  const { answer, error } = useAnswer(() => api.json<HistoryAnswer>(`/enterprises/${encodeURIComponent(enterpriseId)}/history`), [enterpriseId]);
  if (error) return <p role="alert">{t('error', { message: error })}</p>;
  if (!answer) return <p role="status">{t('loading')}</p>;
  const e = answer.enterprise;
  // Newest month first: the one a department asks about.
  const periods = [...answer.periods].sort((a, b) => b.period.localeCompare(a.period));
  return (
    <section class="panel" aria-labelledby="enterprise-title" data-testid="enterprise-history">
      <h3 id="enterprise-title">{t('dashEnterpriseHistory', { name: e?.name ?? name })}</h3>
      {e && <p class="hint">{t('dashEnterpriseFacts', { city: e.cityName, industry: e.industry, id: enterpriseId })}</p>}
      <div class="table-scroll">
        <table class="stack">
          <thead>
            <tr>
              <th scope="col">{t('dashPeriod')}</th>
              <th scope="col">{t('dashStanding')}</th>
              <th scope="col">{t('dashLastDay')}</th>
              <th scope="col">{t('dashOverdue')}</th>
              <th scope="col">{t('dashFirstPass')}</th>
              <th scope="col">{t('dashAttempts')}</th>
            </tr>
          </thead>
          <tbody>
            {periods.map((p) => (
              <tr key={p.period} data-period={p.period}>
                <td data-label={t('dashPeriod')}>{p.period}</td>
                <td data-label={t('dashStanding')}>{p.submission ? t(`submission${p.submission}`) : '—'}</td>
                <td data-label={t('dashLastDay')}>{p.lastDay ?? '—'}</td>
                <td data-label={t('dashOverdue')}>{p.lateBySeconds ? t('dashDays', { days: daysOverdue(p.lateBySeconds) }) : '—'}</td>
                <td data-label={t('dashFirstPass')}>{p.firstPass ? t(`firstPass${p.firstPass}`) : '—'}</td>
                <td data-label={t('dashAttempts')}>
                  {p.attempts.length === 0
                    ? t('dashNoAttempts')
                    : p.attempts.map((a) => (
                        <button
                          type="button"
                          class="link attempt"
                          key={a.attemptId}
                          data-attempt-id={a.attemptId}
                          onClick={() => onAttempt(a.attemptId, a.attempt)}
                        >
                          {t('dashAttemptButton', { n: a.attempt, verdict: a.verdict ? t(`verdict${a.verdict}`) : '—' })}
                        </button>
                      ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function AttemptView({ context, attemptId, name }: { context: AppContext; attemptId: string; name: string }) {
  const { api, t, lang } = context;
  const { answer, error } = useAnswer(() => api.json<AttemptAnswer>(`/attempts/${encodeURIComponent(attemptId)}`), [attemptId]);
  const issues = useMemo(() => answer?.attempt.validation.issues ?? [], [answer]);
  if (error) return <p role="alert">{t('error', { message: error })}</p>;
  if (!answer) return <p role="status">{t('loading')}</p>;
  const { attempt } = answer;
  return (
    <section class="panel" aria-labelledby="attempt-title" data-testid="attempt" data-attempt-id={attempt.attemptId}>
      <h3 id="attempt-title">{t('dashAttemptTitle', { name: answer.enterpriseName ?? name, period: attempt.period, n: answer.attemptNumber })}</h3>
      <p class="hint">{t('dashReadOnly')}</p>
      <dl class="facts">
        <dt>{t('dashReceivedAt')}</dt>
        <dd>
          {shanghaiTime(attempt.receivedAt, lang)} · {attempt.timeliness.onTime ? t('dashOnTimeYes') : t('dashOnTimeNo')}
        </dd>
        <dt>{t('dashVerdict')}</dt>
        <dd data-testid="attempt-verdict">{t(`verdict${attempt.verdict}`)}</dd>
      </dl>
      {attempt.decision && (
        <p>
          {t('dashDecision', {
            outcome: t(`dashOutcome${attempt.decision.outcome}`),
            reviewer: attempt.decision.reviewer,
            time: shanghaiTime(attempt.decision.decidedAt, lang),
            comment: attempt.decision.comment,
          })}
        </p>
      )}
      <h4>{t('dashIssues', { count: issues.length })}</h4>
      {issues.length === 0 ? (
        <p>{t('dashNoIssues')}</p>
      ) : (
        <div class="table-scroll">
          <table class="stack" data-testid="attempt-issues">
            <thead>
              <tr>
                <th scope="col">{t('dashProblemTitle')}</th>
                <th scope="col">{t('dashSeverity')}</th>
                <th scope="col">{t('dashUnit')}</th>
                <th scope="col">{t('dashMessage')}</th>
              </tr>
            </thead>
            <tbody>
              {issues.map((issue, i) => (
                <tr key={`${issue.code}-${i}`} data-code={issue.code}>
                  <td data-label={t('dashProblemTitle')}>
                    {problemTitle(issue.code, lang)} <code>{issue.code}</code>
                  </td>
                  <td data-label={t('dashSeverity')} class={issue.severity}>
                    {t(`severity${issue.severity}`)}
                  </td>
                  <td data-label={t('dashUnit')}>{issue.unitId ?? '—'}</td>
                  <td data-label={t('dashMessage')}>{issue.message[lang]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {answer.files.length > 0 && (
        <>
          <h4>{t('dashFiles')}</h4>
          <ul>
            {answer.files.map((f) => (
              <li key={f.fileName}>{f.url ? <a href={f.url}>{f.fileName}</a> : f.fileName}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
