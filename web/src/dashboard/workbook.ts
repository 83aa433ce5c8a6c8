/**
 * The XLSX export, built in the browser from the JSON already on screen (the scope's summaries,
 * its league, its late list, its problem codes). exceljs is large (≈ 250 KB gzipped), so it is
 * imported only when the button is pressed and never weighs on the page's first load.
 * Text cells a spreadsheet would run as a formula are neutralised as the nightly CSV does
 * (enterprise names come from files departments did not write).
 */
import type { Lang } from '../messages.ts';
import type { LateAnswer, LeagueAnswer, Summary } from './answers.ts';
import { daysOverdue, problemTitle } from './format.ts';

export interface WorkbookInput {
  readonly scope: string;
  readonly scopeName: string;
  readonly period: string;
  readonly summaries: readonly Summary[];
  readonly league?: LeagueAnswer;
  readonly late?: LateAnswer;
  readonly lang: Lang;
  readonly t: (key: string, params?: Readonly<Record<string, string | number>>) => string;
}

const safe = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
/** Rates as percentages with two decimals, as the nightly CSV writes them; empty for "—". */
const rate = (r: number | null | undefined) => (r === null || r === undefined ? null : Math.round(r * 10_000) / 100);

export async function buildWorkbook(input: WorkbookInput): Promise<Blob> {
  const loaded = (await import('exceljs')) as unknown as { default?: typeof import('exceljs') } & typeof import('exceljs');
  const ExcelJS = loaded.default ?? loaded;
  const { t } = input;
  const book = new ExcelJS.Workbook();
  book.creator = 'evidence-deposit dashboard';

  const sheet = (name: string, header: string[], rows: (string | number | null)[][]) => {
    const ws = book.addWorksheet(name);
    ws.addRow(header).font = { bold: true };
    for (const row of rows) ws.addRow(row.map((v) => (typeof v === 'string' ? safe(v) : v)));
    ws.columns.forEach((column) => {
      column.width = 16;
    });
    ws.views = [{ state: 'frozen', ySplit: 1 }];
  };

  sheet(
    t('dashSheetSummaries'),
    [
      t('dashScopeCol'),
      t('dashPeriod'),
      t('dashObliged'),
      t('dashOnTimeCount'),
      t('dashLateCount'),
      t('dashMissingCount'),
      t('dashPendingCount'),
      `${t('dashOnTimeRate')} %`,
      t('dashAcceptedCount'),
      t('dashReturnedCount'),
      t('dashWithdrawnCount'),
      t('dashAwaitingCount'),
      `${t('dashFirstPassRate')} %`,
      t('dashProblems'),
      t('dashComputedCol'),
    ],
    input.summaries.map((s) => [
      input.scopeName,
      s.period,
      s.obliged,
      s.onTime,
      s.late,
      s.missing,
      s.pending,
      rate(s.onTimeRate),
      s.firstPassAccepted,
      s.returned,
      s.withdrawn ?? 0,
      s.awaitingReview,
      rate(s.firstPassRate),
      s.problems.total,
      s.computedAt ?? null,
    ]),
  );
  if (input.league)
    sheet(
      t('dashSheetLeague'),
      [
        t('dashRank'),
        t('dashCity'),
        t('dashCode'),
        t('dashPeriod'),
        `${t('dashOnTimeRate')} %`,
        `${t('dashFirstPassRate')} %`,
        t('dashObliged'),
        t('dashComputedCol'),
      ],
      input.league.rows.map((r) => [
        r.rank,
        r.cityName,
        r.city,
        input.league?.period ?? input.period,
        rate(r.onTimeRate),
        rate(r.firstPassRate),
        r.obliged,
        r.computedAt,
      ]),
    );
  if (input.late)
    sheet(
      t('dashSheetLate'),
      [t('dashCreditCode'), t('dashEnterprise'), t('dashCity'), t('dashStanding'), t('dashLastDay'), t('dashOverdue')],
      input.late.late.map((s) => [s.enterpriseId, s.name, s.cityName, t(`submission${s.submission}`), s.lastDay, daysOverdue(s.lateBySeconds)]),
    );
  const current = input.summaries.find((s) => s.period === input.period);
  sheet(
    t('dashSheetProblems'),
    [t('dashCode'), t('dashProblemTitle'), t('dashSeverity'), t('dashCount')],
    (current?.problems.byCode ?? []).map((p) => [p.code, problemTitle(p.code, input.lang), t(`severity${p.severity}`), p.count]),
  );
  const buffer = await book.xlsx.writeBuffer();
  return new Blob([buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
}
