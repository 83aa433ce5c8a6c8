// The departments' dashboard: plain browser JavaScript over the people's API, signed in with the
// deployment's OpenID provider (sign-in.js). config.json beside the page names the issuer, the
// client and the API (the twin serves the API on the page's own origin). Every figure shown comes
// straight from an API answer, and the API answers only for the signed-in person's jurisdiction.
import { accessToken, loadConfig, signOut } from './sign-in.js';

const config = await loadConfig();
// Signed in before anything else: coming back from the sign-in page restores the address asked for.
await accessToken(config);
const params = new URLSearchParams(location.search);
const API = (params.get('api') ?? config.apiUrl ?? '').replace(/\/$/, '');
const $ = (id) => document.getElementById(id);
const charts = {};

const percent = (rate) => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`);
const days = (seconds) => `${Math.floor(seconds / 86400)}天 ${Math.floor((seconds % 86400) / 3600)}h`;

async function api(path) {
  const token = await accessToken(config);
  const response = await fetch(`${API}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status === 401) {
    // Expired or revoked: sign in again, then come back here.
    signOut();
    await accessToken(config);
  }
  const body = await response.json();
  if (!response.ok) throw new Error(body.message ?? `HTTP ${response.status}`);
  return body;
}

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function draw(id, config) {
  charts[id]?.destroy();
  charts[id] = new Chart($(id), {
    ...config,
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      ...config.options,
    },
  });
}

function rateChart(id, label, summaries, key, color) {
  draw(id, {
    type: 'line',
    data: {
      labels: summaries.map((s) => s.period),
      datasets: [
        {
          label,
          data: summaries.map((s) => (s[key] === null ? null : +(s[key] * 100).toFixed(2))),
          borderColor: color,
          backgroundColor: color,
          spanGaps: false,
          tension: 0.2,
        },
      ],
    },
    options: {
      scales: { y: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } } },
      plugins: { legend: { display: false } },
    },
  });
}

async function loadScopes(me, period) {
  // The signed-in person's jurisdiction, and for a province each of its cities (the league lists them).
  const select = $('scope');
  const own = { scope: `${me.jurisdiction.kind}:${me.jurisdiction.code}`, scopeName: me.jurisdiction.name };
  const wanted = params.get('scope') ?? own.scope;
  const league = await api(`/league?months=1${period ? `&period=${period}` : ''}`);
  const cities = me.jurisdiction.kind === 'province' ? league.rows.map((row) => ({ scope: `city:${row.city}`, scopeName: row.cityName })) : [];
  const scopes = [own, ...cities];
  if (!scopes.some((s) => s.scope === wanted)) scopes.push({ scope: wanted, scopeName: wanted });
  select.replaceChildren(...scopes.map((s) => new Option(s.scopeName, s.scope, false, s.scope === wanted)));
}

function currentPeriod(summaries) {
  // The most recent month whose deadline has passed for everyone: the one to chase.
  const settled = summaries.filter((s) => s.obliged > 0 && s.pending === 0);
  return (settled.at(-1) ?? summaries.at(-1))?.period;
}

async function render() {
  const scope = $('scope').value || 'all';
  $('status').textContent = '加载中 Loading…';
  const { summaries, to } = await api(`/summaries?scope=${encodeURIComponent(scope)}`);
  const periods = summaries.map((s) => s.period);
  const chosen = $('period').dataset.chosen ?? params.get('period') ?? currentPeriod(summaries) ?? to;
  $('period').replaceChildren(...(periods.length ? periods : [to]).map((p) => new Option(p, p, false, p === chosen)));
  const period = $('period').value;
  document.body.dataset.period = period;
  document.body.dataset.scope = scope;

  rateChart('on-time-chart', 'on-time %', summaries, 'onTimeRate', '#0f7c8c');
  rateChart('first-pass-chart', 'first-pass %', summaries, 'firstPassRate', '#d17a00');
  const summary = summaries.find((s) => s.period === period);
  $('on-time-rate').textContent = percent(summary?.onTimeRate);
  $('on-time-detail').textContent = summary ? `${summary.onTime} 准时 on time · ${summary.late} 逾期 late · ${summary.missing} 未报 missing` : '';
  $('first-pass-rate').textContent = percent(summary?.firstPassRate);
  $('first-pass-detail').textContent = summary
    ? `${summary.firstPassAccepted} 通过 accepted · ${summary.returned} 退回 returned · ${summary.withdrawn ?? 0} 撤回 withdrawn · ${summary.awaitingReview} 待审 in review`
    : '';
  $('obliged').textContent = summary ? String(summary.obliged) : '—';
  $('pending-detail').textContent = summary ? `${summary.pending} 未到期 pending · ${summary.resubmitted} 重报 resubmitted` : '';
  $('problems-total').textContent = summary ? String(summary.problems.total) : '—';
  $('problems-detail').textContent = summary ? `${summary.problems.bySeverity.error} 错误 errors · ${summary.problems.bySeverity.warning} 警告 warnings` : '';

  const byCode = summary?.problems.byCode ?? [];
  draw('problems-chart', {
    type: 'bar',
    data: {
      labels: byCode.map((p) => p.code),
      datasets: [
        {
          label: 'count',
          data: byCode.map((p) => p.count),
          backgroundColor: byCode.map((p) => (p.severity === 'error' ? '#c0392b' : '#e0a030')),
        },
      ],
    },
    options: { indexAxis: 'y', plugins: { legend: { display: false } } },
  });
  $('problem-rows').replaceChildren(
    ...byCode.map((p) => {
      const tr = document.createElement('tr');
      tr.append(cell(p.code), cell(p.severity), cell(String(p.count)));
      return tr;
    }),
  );

  const late = await api(`/late?period=${period}&scope=${encodeURIComponent(scope)}`);
  $('late-caption').textContent = `${period} · ${late.late.length} / ${late.obliged}`;
  $('late-rows').replaceChildren(
    ...late.late.map((s) => {
      const tr = document.createElement('tr');
      tr.dataset.enterpriseId = s.enterpriseId;
      tr.append(
        cell(s.enterpriseId),
        cell(s.name),
        cell(s.cityName ?? s.city),
        cell(s.submission === 'missing' ? '未报 missing' : '逾期 late', s.submission),
        cell(s.lastDay),
        cell(days(s.lateBySeconds)),
      );
      return tr;
    }),
  );
  // The nightly export files of this scope and period, as links that expire (the API presigns them).
  const { files } = await api(`/exports?period=${period}&scope=${encodeURIComponent(scope)}`);
  for (const [id, file] of [
    ['export-json', 'summary.json'],
    ['export-csv', 'summaries.csv'],
    ['export-enterprises', 'enterprises.csv'],
  ]) {
    const link = files.find((f) => f.fileName === file);
    $(id).toggleAttribute('hidden', !link);
    if (link) $(id).href = link.url;
  }
  $('status').textContent = `数据截至 as of ${new Date(late.asOf).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })}`;
  document.body.dataset.ready = 'true';
}

async function start() {
  const me = await api('/me');
  if (!me.jurisdiction) throw new Error(`${me.name}：此页面供主管部门和审核人使用 / this page is for departments and reviewers`);
  $('who').textContent = `${me.name} · ${me.jurisdiction.name}`;
  await loadScopes(me, params.get('period') ?? '');
  $('scope').addEventListener('change', () => {
    delete $('period').dataset.chosen;
    document.body.dataset.ready = 'false';
    render().catch(fail);
  });
  $('period').addEventListener('change', () => {
    $('period').dataset.chosen = $('period').value;
    document.body.dataset.ready = 'false';
    render().catch(fail);
  });
  await render();
}

function fail(error) {
  $('status').textContent = `出错 Error: ${error.message}`;
  document.body.dataset.ready = 'error';
}

start().catch(fail);
