/**
 * Report files that are odd or hostile but not broken: what the validator reads from them must be
 * what a reviewer sees, each oddity a specific issue, and the cost bounded in time and memory.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { CheckSettingsSchema } from '#domain/check-settings.ts';
import { type EvidenceFile, issueOf, runChecks } from '#domain/checks.ts';
import { parseDepositKey } from '#domain/deposit-key.ts';
import { DeadlineRulesSchema } from '#domain/deadline.ts';
import { boundedText, MAX_ISSUE_TEXT, MAX_ISSUE_UNIT_ID } from '#domain/issues.ts';
import { PeriodSchema, periodRange } from '#domain/period.ts';
import { type Cell, csvOfRows, reportRows, writeCsv } from '#domain/report-writers.ts';
import { MAX_STORED_ISSUE_BYTES, readReport, validateDeposit } from '#domain/validate.ts';
import { DEMO_ENTERPRISE, demoEvidence, demoReport, sha256Hex } from '#examples/demo.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const codes = (issues: readonly { code: string }[]) => [...new Set(issues.map((i) => i.code))].sort();
const report = demoReport();
const rows = () => reportRows(report);

async function xlsx(build: (workbook: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  return new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
}

function sheetOf(workbook: ExcelJS.Workbook, name: string, data: readonly (readonly Cell[])[]): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name);
  for (const row of data) sheet.addRow([...row]);
  return sheet;
}

/** The demo rows with every value doubled: figures a reviewer must not be shown as the month's. */
const doubled = () => rows().map((r, i) => (i === 0 ? r : r.map((c, j) => (j === 4 && typeof c === 'number' ? c * 2 : c))));

describe('an XLSX report is read from its first visible sheet', () => {
  it.each(['hidden', 'veryHidden'] as const)('a %s first sheet with other figures is not read, and a warning names it', async (state) => {
    const bytes = await xlsx((wb) => {
      sheetOf(wb, '草稿', doubled()).state = state;
      sheetOf(wb, '月度存证', rows());
    });
    const reading = await readReport('r.xlsx', bytes);
    expect(reading.report?.units[0]?.parameters.coalConsumed?.value).toBe(report.units[0]?.parameters.coalConsumed?.value);
    expect(reading.issues).toEqual([
      expect.objectContaining({
        code: 'EVD-XLSX-HIDDEN-SHEET',
        severity: 'warning',
        expected: '"月度存证"',
        found: expect.stringMatching(state === 'hidden' ? /^"草稿" \(hidden, \d+ cells\)$/ : /^"草稿" \(very hidden, \d+ cells\)$/),
      }),
    ]);
  });

  it('an empty hidden sheet (a template leftover) is no issue', async () => {
    const bytes = await xlsx((wb) => {
      wb.addWorksheet('空').state = 'hidden';
      sheetOf(wb, '月度存证', rows());
    });
    expect((await readReport('r.xlsx', bytes)).issues).toEqual([]);
  });

  it('a formula without a cached value says so instead of [object Object]', async () => {
    const bytes = await xlsx((wb) => {
      const sheet = sheetOf(wb, '月度存证', rows());
      const row = rows().findIndex((r) => r[2] === '1' && r[3] === 'coalConsumed') + 1;
      sheet.getCell(`E${row}`).value = { formula: 'A1*2' } as ExcelJS.CellFormulaValue;
    });
    const reading = await readReport('r.xlsx', bytes);
    expect(reading.issues).toEqual([
      expect.objectContaining({ code: 'EVD-PARAM-NOT-NUMBER', unitId: '1', field: 'coalConsumed', found: '=A1*2 (无计算结果 / no cached value)' }),
    ]);
  });

  it('a formula with a cached value is read as that value', async () => {
    const bytes = await xlsx((wb) => {
      const sheet = sheetOf(wb, '月度存证', rows());
      const row = rows().findIndex((r) => r[2] === '1' && r[3] === 'coalConsumed') + 1;
      sheet.getCell(`E${row}`).value = { formula: 'X1*2', result: 4242.5 } as ExcelJS.CellFormulaValue;
    });
    const reading = await readReport('r.xlsx', bytes);
    expect(reading.issues).toEqual([]);
    expect(reading.report?.units[0]?.parameters.coalConsumed?.declaredValue).toBe(4242.5);
  });
});

describe('a sheet reaching far down or across is refused before the workbook is opened', () => {
  it('one cell at A1048576 (6 KB zipped) is refused within 2 s and without building a million rows', async () => {
    const bytes = await xlsx((wb) => {
      const sheet = sheetOf(wb, '月度存证', rows());
      sheet.getCell('A1048576').value = 'x';
    });
    expect(bytes.length).toBeLessThan(10_000);
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const reading = await readReport('r.xlsx', bytes);
    const elapsed = performance.now() - started;
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    expect(reading.issues).toEqual([
      expect.objectContaining({
        code: 'EVD-REPORT-TOO-MANY-ROWS',
        severity: 'error',
        found: 'xl/worksheets/sheet1.xml: row 1048576, 8 columns',
        expected: '5000 rows × 50 columns',
      }),
    ]);
    expect(elapsed).toBeLessThan(2000);
    // The unbounded reader grew by most of a gigabyte here.
    expect(heapGrowth).toBeLessThan(100 * 1024 * 1024);
  });

  it('a cell in column XFD is refused, and a hidden sheet is bounded too', async () => {
    const bytes = await xlsx((wb) => {
      const hidden = wb.addWorksheet('隐藏');
      hidden.state = 'hidden';
      hidden.getCell('XFD1').value = 'x';
      sheetOf(wb, '月度存证', rows());
    });
    const reading = await readReport('r.xlsx', bytes);
    expect(reading.issues).toEqual([expect.objectContaining({ code: 'EVD-REPORT-TOO-MANY-ROWS', found: expect.stringContaining('column 16384') })]);
  });

  it('the bound is a setting, and CSV tables are held to it as well', async () => {
    const settings = CheckSettingsSchema.parse({ report: { maxRows: 10 } });
    const csv = encode(writeCsv(report));
    expect((await readReport('r.csv', csv)).issues).toEqual([]);
    expect((await readReport('r.csv', csv, settings)).issues).toEqual([
      expect.objectContaining({ code: 'EVD-REPORT-TOO-MANY-ROWS', expected: '10 rows × 50 columns' }),
    ]);
    const bytes = await xlsx((wb) => sheetOf(wb, '月度存证', rows()));
    expect((await readReport('r.xlsx', bytes, settings)).issues).toEqual([expect.objectContaining({ code: 'EVD-REPORT-TOO-MANY-ROWS' })]);
  });
});

describe('a column given twice is an error naming both headers', () => {
  it.each([
    ['value', '数值', 4],
    ['value', 'value', 4],
    ['unit', '计量单位', 5],
  ] as const)('%s, and then %s', async (column, second, index) => {
    const copied = rows().map((r, i) => [...r, i === 0 ? second : (r[index] ?? null)]);
    const reading = await readReport('r.csv', encode(csvOfRows(copied)));
    expect(reading.report).toBeUndefined();
    expect(reading.issues).toEqual([
      expect.objectContaining({
        code: 'EVD-REPORT-COLUMN-DUPLICATE',
        severity: 'error',
        field: column,
        row: 1,
        cell: 'I1',
        found: `"${column}" (${index === 4 ? 'E' : 'F'}) and "${second}" (I)`,
      }),
    ]);
  });
});

describe('CSV rows are the file lines where records start', () => {
  it('after a quoted cell holding line breaks, issues point at the line the record starts on', async () => {
    const data = rows();
    const evidence = data.findIndex((r) => r[2] === '1' && r[3] === 'coalConsumed');
    (data[evidence] as Cell[])[6] = 'ledger\nscan\nfor unit 1.pdf';
    const bad = data.findIndex((r) => r[2] === '2' && r[3] === 'loadFactor');
    (data[bad] as Cell[])[4] = 'lots';
    const reading = await readReport('r.csv', encode(csvOfRows(data)));
    const notNumber = reading.issues.find((i) => i.code === 'EVD-PARAM-NOT-NUMBER');
    // Record `bad` (0-based, header 0) starts on file line bad + 1, plus the two extra lines of the quoted cell.
    expect(notNumber).toMatchObject({ row: bad + 1 + 2, cell: `E${bad + 1 + 2}` });
    expect(reading.issues.find((i) => i.code === 'EVD-EVIDENCE-NAME')).toMatchObject({ row: evidence + 1 });
  });

  it('mixed CRLF and LF line endings each end a record', async () => {
    const lines = writeCsv(report)
      .split('\r\n')
      .filter((l) => l !== '');
    const mixed = lines.map((l, i) => `${l}${i % 2 === 0 ? '\r\n' : '\n'}`).join('');
    const reading = await readReport('r.csv', encode(mixed));
    expect(reading.issues).toEqual([]);
    expect(reading.report).toEqual((await readReport('r.csv', encode(writeCsv(report)))).report);
  });

  it('a lone CR (classic Mac) ends a record too', async () => {
    const reading = await readReport('r.csv', encode(writeCsv(report).replace(/\r\n/g, '\r')));
    expect(reading.issues).toEqual([]);
    expect(reading.report?.units.length).toBe(3);
  });
});

describe('prototype keys in a JSON report', () => {
  it.each(['__proto__', 'constructor', 'prototype'])('%s as a parameter is an unknown parameter, and nothing is polluted', async (key) => {
    const text = JSON.stringify({
      enterpriseId: report.enterpriseId,
      period: report.period,
      units: [{ unitId: '1', parameters: { coalConsumed: { value: 1, unit: 't' } } }],
    }).replace('"coalConsumed"', `"${key}":{"value":1,"unit":"t","polluted":true},"coalConsumed"`);
    const reading = await readReport('r.json', encode(text));
    expect(reading.issues).toEqual([expect.objectContaining({ code: 'EVD-PARAM-UNKNOWN', unitId: '1', field: key, found: key })]);
    expect(reading.report?.units[0]?.parameters.coalConsumed?.value).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(reading.report?.units[0]?.parameters)).toBe(Object.prototype);
  });
});

describe('issue texts are bounded', () => {
  it('a 150,000-character cell yields issues of at most 300 characters per text, marked with the full length', async () => {
    const data = rows();
    (data[1] as Cell[])[3] = `X${'参'.repeat(149_999)}`;
    const reading = await readReport('r.csv', encode(csvOfRows(data)));
    const unknown = reading.issues.find((i) => i.code === 'EVD-PARAM-UNKNOWN');
    expect(unknown?.found).toHaveLength(MAX_ISSUE_TEXT);
    expect(unknown?.found).toMatch(/^X参+…\(共 150000 字符 \/ 150000 characters\)$/);
    expect(unknown?.field).toBe(unknown?.found);
    expect(unknown?.message.zh.length).toBeLessThan(3 * MAX_ISSUE_TEXT);
    expect(JSON.stringify(reading).length).toBeLessThan(20_000);
  });

  it('a unit id is cut to 100 characters, in the issue and in the stored report', async () => {
    const data = rows();
    (data[1] as Cell[])[2] = 'U'.repeat(150_000);
    const reading = await readReport('r.csv', encode(csvOfRows(data)));
    const ids = reading.report?.units.map((u) => u.unitId) ?? [];
    expect(Math.max(...ids.map((id) => id.length))).toBe(MAX_ISSUE_UNIT_ID);
    const { validation } = await validateDeposit({
      key: { kind: 'report', enterpriseId: report.enterpriseId, period: report.period, depositId: 'd', fileName: 'r.csv' },
      reportSize: 1,
      reading,
      enterprise: DEMO_ENTERPRISE,
      evidence: [],
      receivedAt: new Date('2026-04-02T00:00:00Z'),
    });
    const unknownUnit = validation.issues.find((i) => i.code === 'EVD-UNIT-UNKNOWN');
    expect(unknownUnit?.unitId).toHaveLength(MAX_ISSUE_UNIT_ID);
    expect(unknownUnit?.unitId).toMatch(/…\(共 150000 字符 \/ 150000 characters\)$/);
  });

  it('cuts expected and found in issueOf, keeps characters whole, and leaves short texts alone', () => {
    const issue = issueOf('EVD-REPORT-INCONSISTENT', { row: 3, field: 'period', expected: '😀'.repeat(400), found: 'short' });
    expect(Array.from(issue.expected ?? '')).toHaveLength(MAX_ISSUE_TEXT);
    expect(issue.expected).toMatch(/^(😀)+…\(共 400 字符 \/ 400 characters\)$/u);
    expect(issue.found).toBe('short');
    expect(issue.message.en).toContain(issue.expected);
    expect(boundedText('a'.repeat(300))).toBe('a'.repeat(300));
  });

  it('stores no more issues than fit the byte budget, and says how many there were', async () => {
    const data = rows();
    for (let i = 0; i < 190; i++) data.push([report.enterpriseId, report.period, '1', `未知${i}${'参'.repeat(2000)}`, 1, 't', null, null]);
    const bytes = encode(csvOfRows(data));
    const { validation } = await validateDeposit({
      key: { kind: 'report', enterpriseId: report.enterpriseId, period: report.period, depositId: 'd', fileName: 'r.csv' },
      reportSize: bytes.length,
      reportBytes: bytes,
      enterprise: DEMO_ENTERPRISE,
      evidence: [],
      receivedAt: new Date('2026-04-02T00:00:00Z'),
    });
    expect(new TextEncoder().encode(JSON.stringify(validation.issues)).length).toBeLessThan(MAX_STORED_ISSUE_BYTES + 2_000);
    expect(validation.issues.length).toBeLessThan(190);
    expect(validation.issues.at(-1)).toMatchObject({
      code: 'EVD-ISSUES-TRUNCATED',
      found: String(validation.stats.errors + validation.stats.warnings + validation.stats.infos),
    });
  });
});

describe('periods outside 1900–9999 and impossible days', () => {
  it.each(['0050-03', '1899-12', '0000-01', '2026-00', '2026-13', '10000-01'])('refuses the period %s, in the schema and in a key', (period) => {
    expect(PeriodSchema.safeParse(period).success).toBe(false);
    expect(parseDepositKey(`reports/${DEMO_ENTERPRISE.enterpriseId}/${period}/d1/report.csv`).ok).toBe(false);
  });

  it.each(['1900-01', '2026-03', '9999-12'])('accepts the period %s', (period) => {
    expect(PeriodSchema.safeParse(period).success).toBe(true);
  });

  it('counts a range of periods across the last year without looping', () => {
    expect(periodRange('9999-11', '9999-12')).toEqual(['9999-11', '9999-12']);
    expect(periodRange('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });

  it.each(['2026-13-00', '2026-02-30', '0050-03-01'])('refuses an extension whose last day is %s', (lastDay) => {
    expect(DeadlineRulesSchema.safeParse({ extensions: [{ period: '2026-01', lastDay }] }).success).toBe(false);
  });
});

describe('an evidence file that is present but unreadable', () => {
  const evidence = (): EvidenceFile[] =>
    demoEvidence().map((f) => ({
      fileName: f.fileName,
      key: `evidence/${f.fileName}`,
      size: f.bytes.length,
      sha256: sha256Hex(f.bytes),
      head: f.bytes.subarray(0, 4096),
    }));

  it('is one issue with its reason, and no type, size, emptiness, hash or missing issue', () => {
    const files = evidence().map((e, i) =>
      i === 0 ? { fileName: e.fileName, key: e.key, size: 0, sha256: '', unreadable: 'encrypted with a customer-provided key (SSE-C)' } : e,
    );
    const settings = CheckSettingsSchema.parse({ evidence: { maxBytes: 1 } });
    const issues = runChecks({ report, enterprise: DEMO_ENTERPRISE, evidence: files }).filter((i) => i.category === 'evidence' || i.category === 'conformity');
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'EVD-EVIDENCE-UNREADABLE',
        severity: 'error',
        category: 'evidence',
        field: files[0]?.fileName,
        found: 'encrypted with a customer-provided key (SSE-C)',
      }),
    ]);
    // With every other file over a 1-byte limit, only the readable ones are too large.
    const large = runChecks({ report, enterprise: DEMO_ENTERPRISE, evidence: files, settings }).filter((i) => i.code === 'EVD-EVIDENCE-TOO-LARGE');
    expect(large.map((i) => i.field)).not.toContain(files[0]?.fileName);
    expect(large).toHaveLength(files.length - 1);
  });
});

describe('the intake-time codes another stage raises', () => {
  it('EVD-REPORT-UNREADABLE carries the reason in both languages', () => {
    const issue = issueOf('EVD-REPORT-UNREADABLE', { found: 'archived storage class (GLACIER)' });
    expect(issue).toMatchObject({ severity: 'error', category: 'intake', found: 'archived storage class (GLACIER)' });
    expect(issue.message).toEqual({
      zh: '报告文件无法读取：archived storage class (GLACIER)',
      en: 'The report file cannot be read: archived storage class (GLACIER)',
    });
  });

  it('EVD-REPORT-CHANGED names the version read and the version announced', () => {
    const issue = issueOf('EVD-REPORT-CHANGED', { found: 'version v2 (ETag b…)', expected: 'version v1 (ETag a…)' });
    expect(issue).toMatchObject({ severity: 'error', category: 'intake' });
    expect(issue.message.en).toBe('The report read is not the version the event announced: read version v2 (ETag b…), announced version v1 (ETag a…)');
  });
});

describe('an unreadable evidence file and the history signals', () => {
  it('is not "reused" from an earlier month where a file was unreadable too: neither has a hash', () => {
    const unreadable = (fileName: string): EvidenceFile => ({ fileName, key: `evidence/${fileName}`, size: 10, sha256: '', unreadable: 'access denied' });
    const february = demoReport('2026-02');
    const issues = runChecks({
      report,
      enterprise: DEMO_ENTERPRISE,
      evidence: [unreadable('unit1-lab-report.pdf')],
      history: [{ period: '2026-02', report: february, evidence: [{ fileName: 'unit1-lab-report.pdf', sha256: '' }] }],
    });
    expect(issues.map((i) => i.code)).not.toContain('EVD-HIST-EVIDENCE-REUSED');
    expect(issues.map((i) => i.code)).toContain('EVD-EVIDENCE-UNREADABLE');
  });
});
