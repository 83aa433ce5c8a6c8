/**
 * The enterprise's last months beside this one, for the parameters this attempt's issues flag: a
 * reviewer judging an atypical value wants to see what the unit reported before. Read from the
 * enterprise's history (each month's latest attempt), then those attempts' parsed reports — a
 * handful of calls, in parallel.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, type AppContext } from '../app-context.ts';
import {
  type Attempt,
  type AttemptView,
  earlierMonths,
  flaggedParameters,
  formatValue,
  type HistoryLoad,
  inLanguage,
  parameterName,
  reportedValue,
} from './model.ts';

/** How many months before this one are shown. */
const MONTHS = 5;

type Month = { readonly period: string; readonly verdict: string; readonly report: Attempt['report'] };
type Loaded = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'ready'; months: readonly Month[] };

export function RecentMonths({ context, view, history }: { context: AppContext; view: AttemptView; history: HistoryLoad }) {
  const { t, lang, api } = context;
  const { attempt } = view;
  const flagged = flaggedParameters(attempt.validation.issues);
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });
  useEffect(() => {
    if (flagged.length === 0 || history.kind === 'loading') return;
    if (history.kind === 'failed') return setLoaded(history);
    let gone = false;
    void (async () => {
      try {
        const earlier = await Promise.all(
          earlierMonths(history.history, attempt.period, MONTHS).map(async ({ period, attemptId }) => {
            const month = await api.json<AttemptView>(`/attempts/${encodeURIComponent(attemptId)}`);
            return { period, verdict: month.attempt.verdict, report: month.attempt.report };
          }),
        );
        if (!gone) setLoaded({ kind: 'ready', months: [...earlier, { period: attempt.period, verdict: attempt.verdict, report: attempt.report }] });
      } catch (error) {
        if (!gone) setLoaded({ kind: 'failed', message: error instanceof ApiError ? inLanguage(error.message, lang) : String(error) });
      }
    })();
    return () => {
      gone = true;
    };
  }, [attempt.attemptId, history.kind]);

  return (
    <section aria-labelledby="wb-recent-title">
      <h3 id="wb-recent-title">{t('wbRecent')}</h3>
      {flagged.length === 0 ? (
        <p>{t('wbRecentNone')}</p>
      ) : loaded.kind === 'loading' ? (
        <p role="status">{t('loading')}</p>
      ) : loaded.kind === 'failed' ? (
        <p role="alert">{t('wbRecentFailed', { message: loaded.message })}</p>
      ) : (
        <div class="table-scroll">
          <table class="wb-recent" data-testid="recent-months">
            <caption class="visually-hidden">{t('wbRecent')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('wbParameter')}</th>
                {loaded.months.map((month) => (
                  <th scope="col" key={month.period} class={month.period === attempt.period ? 'wb-this' : undefined}>
                    {month.period === attempt.period ? t('wbThisMonth', { period: month.period }) : month.period}
                    <span class="wb-muted wb-block">{t(`wbVerdict.${month.verdict}`)}</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {flagged.map(({ unitId, code }) => (
                <tr key={`${unitId}|${code}`}>
                  <th scope="row">
                    {t('wbUnit', { unit: unitId })} · {parameterName(code, lang)}
                  </th>
                  {loaded.months.map((month) => (
                    <td key={month.period} class={month.period === attempt.period ? 'wb-this' : undefined}>
                      {formatValue(reportedValue(month.report, unitId, code), lang) ?? t('wbNoValue')}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
