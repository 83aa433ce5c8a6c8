/**
 * The inbox: what waits at the reviewer's level in its jurisdiction, oldest first (the API's
 * order), narrowed by the filters, with the counts of the whole inbox and more on request.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, type AppContext } from '../app-context.ts';
import { type InboxAnswer, type InboxItem, inLanguage, shanghaiTime } from './model.ts';

export interface InboxFilters {
  readonly city: string;
  readonly enterprise: string;
  readonly period: string;
  readonly severity: '' | 'errors' | 'warnings';
  readonly late: '' | 'true' | 'false';
}

export const NO_FILTERS: InboxFilters = { city: '', enterprise: '', period: '', severity: '', late: '' };
const CREDIT_CODE = /^[0-9A-Za-z]{18}$/;

function queryOf(filters: InboxFilters, cursor?: string): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value) query.set(name, value.trim());
  query.set('limit', '50');
  if (cursor) query.set('cursor', cursor);
  return `/inbox?${query.toString()}`;
}

type Loaded = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'ready'; answer: InboxAnswer; items: readonly InboxItem[] };

export function Inbox({
  context,
  filters,
  onFilters,
  onOpen,
  notice,
}: {
  context: AppContext;
  filters: InboxFilters;
  onFilters: (filters: InboxFilters) => void;
  onOpen: (item: InboxItem) => void;
  notice?: string;
}) {
  const { t, lang, me, api } = context;
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });
  const [draft, setDraft] = useState<InboxFilters>(filters);
  const [invalid, setInvalid] = useState(false);
  const [more, setMore] = useState(false);
  const [cityNames, setCityNames] = useState<Record<string, string>>({});
  const provincial = me.level === 'province';

  const load = async (cursor?: string) => {
    try {
      const answer = await api.json<InboxAnswer>(queryOf(filters, cursor));
      setCityNames((known) => ({ ...known, ...Object.fromEntries(answer.items.map((i) => [i.cityCode, i.city])) }));
      setLoaded((before) => ({
        kind: 'ready',
        answer,
        items: cursor && before.kind === 'ready' ? [...before.items, ...answer.items] : answer.items,
      }));
    } catch (error) {
      setLoaded({ kind: 'failed', message: error instanceof ApiError ? inLanguage(error.message, lang) : String(error) });
    }
  };
  useEffect(() => {
    setDraft(filters);
    setLoaded({ kind: 'loading' });
    void load();
  }, [filters]);

  const apply = (event: Event) => {
    event.preventDefault();
    const enterprise = draft.enterprise.trim();
    const bad = enterprise !== '' && !CREDIT_CODE.test(enterprise);
    setInvalid(bad);
    if (!bad) onFilters({ ...draft, enterprise: enterprise.toUpperCase() });
  };
  const set = (name: keyof InboxFilters) => (event: Event) => setDraft({ ...draft, [name]: (event.currentTarget as HTMLInputElement).value });
  const levelName = t(me.level === 'province' ? 'wbLevelProvince' : 'wbLevelCity');

  return (
    <section aria-labelledby="wb-inbox-title">
      <h2 id="wb-inbox-title">{t('workbenchTitle')}</h2>
      <p class="wb-muted">{t('wbInboxOf', { level: levelName, jurisdiction: me.jurisdiction?.name ?? '' })}</p>
      {notice && (
        <p role="status" class="wb-notice" data-testid="notice">
          {notice}
        </p>
      )}
      <form class="wb-filters" onSubmit={apply} aria-label={t('wbFilters')}>
        {provincial && (
          <label>
            {t('wbCity')}
            <select value={draft.city} onChange={set('city')}>
              <option value="">{t('wbAllCities')}</option>
              {loaded.kind === 'ready' &&
                Object.keys(loaded.answer.counts.byCity).map((code) => (
                  <option key={code} value={code}>
                    {cityNames[code] ?? code}
                  </option>
                ))}
            </select>
          </label>
        )}
        <label>
          {t('wbEnterprise')}
          <input
            name="enterprise"
            value={draft.enterprise}
            onInput={set('enterprise')}
            maxLength={18}
            autoComplete="off"
            spellcheck={false}
            aria-invalid={invalid}
            aria-describedby="wb-enterprise-hint"
          />
          <span id="wb-enterprise-hint" class={invalid ? 'wb-error-text' : 'wb-muted'}>
            {invalid ? t('wbBadEnterprise') : t('wbEnterpriseHint')}
          </span>
        </label>
        <label>
          {t('wbPeriod')}
          <input type="month" name="period" value={draft.period} onInput={set('period')} />
        </label>
        <label>
          {t('wbSeverity')}
          <select value={draft.severity} onChange={set('severity')}>
            <option value="">{t('wbSeverityAll')}</option>
            <option value="errors">{t('wbSeverityErrors')}</option>
            <option value="warnings">{t('wbSeverityWarnings')}</option>
          </select>
        </label>
        <label>
          {t('wbLate')}
          <select value={draft.late} onChange={set('late')}>
            <option value="">{t('wbLateAll')}</option>
            <option value="true">{t('wbLateOnly')}</option>
            <option value="false">{t('wbOnTimeOnly')}</option>
          </select>
        </label>
        <div class="wb-actions">
          <button type="submit" class="primary">
            {t('wbApply')}
          </button>
          <button type="button" onClick={() => onFilters(NO_FILTERS)}>
            {t('wbClear')}
          </button>
        </div>
      </form>
      {loaded.kind === 'loading' && <p role="status">{t('loading')}</p>}
      {loaded.kind === 'failed' && (
        <p role="alert">
          {t('wbLoadFailed', { message: loaded.message })}{' '}
          <button type="button" onClick={() => void load()}>
            {t('retry')}
          </button>
        </p>
      )}
      {loaded.kind === 'ready' && (
        <>
          <div class="wb-counts" data-testid="counts">
            <strong>{t('wbCounts', { total: loaded.answer.counts.total })}</strong>
            {Object.keys(loaded.answer.counts.byCity).length > 0 && (
              <span>
                {t('wbCountsByCity')}：
                {Object.entries(loaded.answer.counts.byCity)
                  .map(([code, n]) => `${cityNames[code] ?? code} ${n}`)
                  .join('，')}
              </span>
            )}
          </div>
          {loaded.items.length === 0 ? (
            <p>{t('wbEmpty')}</p>
          ) : (
            <>
              <p class="wb-muted">{t('wbShown', { shown: loaded.items.length })}</p>
              <div class="table-scroll">
                <table class="wb-inbox" data-testid="inbox">
                  <caption class="visually-hidden">{t('wbListCaption')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('wbColEnterprise')}</th>
                      <th scope="col">{t('wbColPeriod')}</th>
                      {provincial && <th scope="col">{t('wbColCity')}</th>}
                      <th scope="col">{t('wbColReceived')}</th>
                      <th scope="col">{t('wbColIssues')}</th>
                      <th scope="col">
                        <span class="visually-hidden">{t('wbOpen')}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {loaded.items.map((item) => (
                      <tr key={item.attemptId} data-attempt={item.attemptId}>
                        <td>
                          <span class="wb-name">{item.enterpriseName ?? item.enterpriseId}</span>
                          {item.enterpriseName && <span class="wb-code">{item.enterpriseId}</span>}
                        </td>
                        <td>
                          {item.period}
                          <span class="wb-muted"> · {t('wbAttemptN', { n: item.attempt })}</span>
                        </td>
                        {provincial && <td>{item.city}</td>}
                        <td>
                          {shanghaiTime(item.receivedAt, lang)}
                          <span class={item.onTime ? 'wb-tag' : 'wb-tag wb-late'}>{t(item.onTime ? 'wbOnTime' : 'wbLateMark')}</span>
                          {item.escalatedAt && <span class="wb-muted wb-block">{t('wbEscalated', { at: shanghaiTime(item.escalatedAt, lang) })}</span>}
                        </td>
                        <td>{t('wbIssueCounts', { errors: item.errors, warnings: item.warnings })}</td>
                        <td>
                          <button
                            type="button"
                            onClick={() => onOpen(item)}
                            aria-label={t('wbOpenLabel', { enterprise: item.enterpriseName ?? item.enterpriseId, period: item.period, attempt: item.attempt })}
                          >
                            {t('wbOpen')}
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {loaded.answer.cursor && (
                <button
                  type="button"
                  disabled={more}
                  onClick={async () => {
                    setMore(true);
                    await load(loaded.answer.cursor);
                    setMore(false);
                  }}
                >
                  {t('wbMore')}
                </button>
              )}
            </>
          )}
        </>
      )}
    </section>
  );
}
