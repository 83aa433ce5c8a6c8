/**
 * The corpus: example deposits with the verdict and issue codes each must produce. Valid cases
 * come in every format and encoding enterprises use; every other case is the valid demo deposit
 * with one mutation aimed at one check (cascades the mutation necessarily causes are listed too).
 *
 * The list is plain data so any runner can use it: `corpus.test.ts` feeds `validateDeposit`
 * directly; a twin-level runner uploads `before` deposits first (each must come out accepted),
 * then the evidence files, then the report under the key the case names.
 */
import { deepJson, duplicateKeyJson, externalLinkXlsx, hiddenFirstSheetXlsx, lastRowXlsx, macroXlsx, zipBombXlsx } from './abuse-files.ts';
import { MAX_REPORT_BYTES } from '#domain/report-table.ts';
import { numbersFile, officeFile, pdfReport } from './office-files.ts';
import { industryCases } from './industry-cases.ts';
import { type ParameterCode, PARAMETERS, unitFactor } from '#domain/parameters.ts';
import type { Enterprise } from '#domain/registry.ts';
import type { MonthlyReport, UnitReport } from '#domain/report.ts';
import type { CheckSettingsInput } from '#domain/check-settings.ts';
import type { Verdict } from '#domain/issues.ts';
import { type Cell, csvOfRows, reportRows, type WriteOptions, writeCsv, writeCsvBytes, writeJson, writeXlsx } from '#domain/report-writers.ts';
import {
  DEMO_ENTERPRISE,
  DEMO_EVIDENCE_NAMES,
  DEMO_PERIOD,
  type DemoFile,
  declareHashes,
  demoEvidence,
  demoReport,
  pdfBytes,
  pngBytes,
  zipBytes,
} from '#examples/demo.ts';

export interface CorpusFile {
  readonly fileName: string;
  readonly bytes: Uint8Array;
  /** The file is in the deposit but intake could not read it (the reason); runners pass it on as `EvidenceFile.unreadable`. */
  readonly unreadable?: string;
}

/** One deposit: what is uploaded, under which key, and when. */
export interface CorpusDeposit {
  readonly enterpriseId: string;
  readonly period: string;
  readonly depositId: string;
  readonly files: { readonly report: CorpusFile; readonly evidence: readonly CorpusFile[] };
  /** The S3 event time (receipt). */
  readonly receivedAt: string;
}

export interface CorpusCase extends CorpusDeposit {
  readonly name: string;
  /** The registry entry for `enterpriseId`; absent: the enterprise is not registered. */
  readonly enterprise?: Enterprise;
  /** Earlier deposits of the same enterprise, to record (and be accepted) first: the ledger's history. */
  readonly before?: readonly CorpusDeposit[];
  /** Another upload was already recorded under the same report key. */
  readonly keyReused?: boolean;
  /** Non-default thresholds; a runner that cannot pass settings should skip the case. */
  readonly settings?: CheckSettingsInput;
  readonly expected: { readonly verdict: Verdict; readonly codes: readonly string[] };
}

/**
 * Codes no report-level case can produce: they are raised before a deposit is attributed, or by
 * intake before there are report bytes to validate (EVD-REPORT-UNREADABLE: the object cannot be
 * read — archived, SSE-C, access denied, gone; EVD-REPORT-CHANGED: it is not the version its
 * event announced).
 */
export const PIPELINE_ONLY_CODES = ['EVD-KEY-LAYOUT', 'EVD-ATTEMPTS-TOO-MANY', 'EVD-REPORT-UNREADABLE', 'EVD-REPORT-CHANGED'] as const;

const ENTERPRISE = DEMO_ENTERPRISE;
const received = (period: string) => {
  const [y, m] = period.split('-').map(Number) as [number, number];
  // Ten days after the month ends, 10:00 Beijing time.
  return new Date(Date.UTC(y, m, 10, 2)).toISOString();
};

type Format = 'csv' | 'csv-bom-zh' | 'csv-gb18030' | 'csv-utf16le' | 'xlsx' | 'xlsx-zh' | 'json';

async function reportFile(report: MonthlyReport, format: Format): Promise<CorpusFile> {
  const zh: WriteOptions = { headers: 'zh', parameterNames: 'zh' };
  switch (format) {
    case 'csv':
      return { fileName: 'report.csv', bytes: writeCsvBytes(report) };
    case 'csv-bom-zh':
      return { fileName: '月度存证.csv', bytes: writeCsvBytes(report, 'utf-8-bom', zh) };
    case 'csv-gb18030':
      return { fileName: '月度存证-gbk.csv', bytes: writeCsvBytes(report, 'gb18030', zh) };
    case 'csv-utf16le':
      return { fileName: 'report-utf16.csv', bytes: new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(writeCsv(report, zh), 'utf16le')])) };
    case 'xlsx':
      return { fileName: 'report.xlsx', bytes: await writeXlsx(report) };
    case 'xlsx-zh':
      return { fileName: '月度存证.xlsx', bytes: await writeXlsx(report, zh) };
    case 'json':
      return { fileName: 'report.json', bytes: new TextEncoder().encode(writeJson(report)) };
  }
}

const text = (fileName: string, body: string): CorpusFile => ({ fileName, bytes: new TextEncoder().encode(body) });

function unit(report: MonthlyReport, unitId: string): UnitReport {
  const found = report.units.find((u) => u.unitId === unitId);
  if (!found) throw new Error(`demo report has no unit ${unitId}`);
  return found;
}

/** Sets a parameter as declared in its canonical unit (or `declaredUnit`), keeping its evidence. */
function set(report: MonthlyReport, unitId: string, code: ParameterCode, declaredValue: number, declaredUnit = PARAMETERS[code].unit): void {
  const u = unit(report, unitId);
  const previous = u.parameters[code];
  const factor = unitFactor(code, declaredUnit) ?? Number.NaN;
  u.parameters[code] = {
    ...previous,
    value: declaredValue * factor,
    declaredValue,
    declaredUnit,
    ...(previous?.evidenceFile ? {} : { evidenceFile: DEMO_EVIDENCE_NAMES.ledger(unitId) }),
  };
}

const get = (report: MonthlyReport, unitId: string, code: ParameterCode) => unit(report, unitId).parameters[code]?.value ?? Number.NaN;
const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** A new coal sample for a coal unit, with carbon per heat and coal burnt (≈ 300 gce/kWh) kept consistent. */
function setSample(report: MonthlyReport, unitId: string, s: { carbon: number; ncv: number; hydrogen?: number; moisture?: number }): void {
  set(report, unitId, 'carbonAsReceived', s.carbon);
  set(report, unitId, 'ncvAsReceived', s.ncv);
  if (s.hydrogen !== undefined) set(report, unitId, 'hydrogen', s.hydrogen);
  if (s.moisture !== undefined) set(report, unitId, 'moisture', s.moisture);
  set(report, unitId, 'carbonPerHeat', round(s.carbon / 100 / s.ncv, 5));
  set(report, unitId, 'coalConsumed', round((0.3 * get(report, unitId, 'powerSupplied') * 29.271) / s.ncv, 1));
}

interface Build {
  period?: string;
  format?: Format;
  /** Changes the report; declared hashes are recomputed afterwards unless `keepDeclaredHashes`. */
  mutate?: (report: MonthlyReport) => void;
  /** Changes the evidence set (after the report's hashes were declared when `keepDeclaredHashes`). */
  evidence?: (files: DemoFile[]) => DemoFile[];
  keepDeclaredHashes?: boolean;
  /** Replaces the written report with these rows (header first) as UTF-8 CSV. */
  rows?: (rows: Cell[][]) => Cell[][];
}

async function deposit(b: Build = {}): Promise<CorpusDeposit> {
  const period = b.period ?? DEMO_PERIOD;
  const original = demoEvidence(period);
  const report = structuredClone(demoReport(period, original));
  b.mutate?.(report);
  const evidence = b.evidence ? b.evidence([...original]) : original;
  const declared = declareHashes(report, b.keepDeclaredHashes ? original : evidence);
  const file = b.rows
    ? { fileName: 'report.csv', bytes: new TextEncoder().encode(csvOfRows(b.rows(reportRows(declared)))) }
    : await reportFile(declared, b.format ?? 'csv');
  return { enterpriseId: ENTERPRISE.enterpriseId, period, depositId: `d-${period}-1`, files: { report: file, evidence }, receivedAt: received(period) };
}

function replaceFile(files: DemoFile[], fileName: string, bytes: Uint8Array): DemoFile[] {
  return files.map((f) => (f.fileName === fileName ? { fileName, bytes } : f));
}

/** The report's rows for (unit, parameter), for row-level mutations. */
function rowIndex(rows: Cell[][], unitId: string, parameter: string): number {
  const i = rows.findIndex((r) => r[2] === unitId && r[3] === parameter);
  if (i < 0) throw new Error(`no row for ${unitId} ${parameter}`);
  return i;
}

type Spec = {
  name: string;
  verdict: Verdict;
  codes: string[];
  enterprise?: Enterprise | null;
  before?: Build[];
  keyReused?: boolean;
  settings?: CheckSettingsInput;
  receivedAt?: string;
} & ({ build: Build } | { report: CorpusFile; evidence?: DemoFile[] });

const VALID: Spec[] = [
  { name: 'a valid deposit as UTF-8 CSV with English headers is accepted', verdict: 'accepted', codes: [], build: {} },
  {
    name: 'a valid deposit as UTF-8 CSV with a BOM and Chinese headers and parameter names is accepted',
    verdict: 'accepted',
    codes: [],
    build: { format: 'csv-bom-zh' },
  },
  { name: 'a valid deposit as GB18030 CSV (Excel on Chinese Windows) is accepted', verdict: 'accepted', codes: [], build: { format: 'csv-gb18030' } },
  { name: 'a valid deposit as UTF-16LE CSV with a BOM is accepted', verdict: 'accepted', codes: [], build: { format: 'csv-utf16le' } },
  { name: 'a valid deposit as an XLSX workbook is accepted', verdict: 'accepted', codes: [], build: { format: 'xlsx' } },
  { name: 'a valid deposit as an XLSX workbook with Chinese headers is accepted', verdict: 'accepted', codes: [], build: { format: 'xlsx-zh' } },
  { name: 'a valid deposit as JSON is accepted', verdict: 'accepted', codes: [], build: { format: 'json' } },
  {
    name: 'thousand separators, full-width digits and % signs are read as numbers',
    verdict: 'accepted',
    codes: [],
    build: {
      rows: (rows) => {
        const coal = rowIndex(rows, '1', 'coalConsumed');
        const hours = rowIndex(rows, '1', 'operatingHours');
        const load = rowIndex(rows, '1', 'loadFactor');
        const generated = rowIndex(rows, '2', 'powerGenerated');
        const c = rows[coal] as Cell[];
        c[4] = Number(c[4]).toLocaleString('en-US', { maximumFractionDigits: 6 });
        const h = rows[hours] as Cell[];
        h[4] = String(h[4]).replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));
        const l = rows[load] as Cell[];
        l[4] = `${l[4]}%`;
        const g = rows[generated] as Cell[];
        g[4] = ` ${Number(g[4]).toLocaleString('en-US', { maximumFractionDigits: 6 })} `;
        return rows;
      },
    },
  },
  {
    name: 'values declared in other accepted units (kWh, 万kWh, MJ/kg, 万吨) are converted and accepted',
    verdict: 'accepted',
    codes: [],
    build: {
      mutate: (r) => {
        set(r, '1', 'powerGenerated', get(r, '1', 'powerGenerated') * 1000, 'kWh');
        set(r, '1', 'powerSupplied', get(r, '1', 'powerSupplied') / 10, '万kWh');
        set(r, '1', 'ncvAsReceived', get(r, '1', 'ncvAsReceived'), 'MJ/kg');
        set(r, '2', 'coalConsumed', get(r, '2', 'coalConsumed') / 10000, '万吨');
      },
    },
  },
  {
    name: 'a coal unit idle all month (0 hours, no output, no coal) is accepted',
    verdict: 'accepted',
    codes: [],
    build: {
      mutate: (r) => {
        for (const code of ['operatingHours', 'loadFactor', 'powerGenerated', 'powerSupplied', 'coalConsumed', 'heatSupplied'] as const) set(r, '2', code, 0);
      },
    },
  },
  {
    name: 'a deposit whose earlier months are in the ledger and differ normally is accepted',
    verdict: 'accepted',
    codes: [],
    build: {},
    before: [{ period: '2026-01' }, { period: '2026-02' }],
  },
];

const INTAKE: Spec[] = [
  { name: 'a second report under a key already used is returned', verdict: 'returned', codes: ['EVD-KEY-REUSED'], build: {}, keyReused: true },
  { name: 'an empty report file is returned', verdict: 'returned', codes: ['EVD-FILE-EMPTY'], report: { fileName: 'report.csv', bytes: new Uint8Array() } },
  {
    name: 'a report above the size limit is returned unread',
    verdict: 'returned',
    codes: ['EVD-FILE-TOO-LARGE'],
    report: { fileName: 'report.csv', bytes: new Uint8Array(MAX_REPORT_BYTES + 1).fill(0x20) },
  },
  {
    name: 'a report with an unsupported extension is returned',
    verdict: 'returned',
    codes: ['EVD-FILE-TYPE'],
    report: text('report.txt', 'enterpriseId,period\n'),
  },
  {
    name: 'a CSV renamed to .xlsx is recognised by its content and returned',
    verdict: 'returned',
    codes: ['EVD-FILE-TYPE'],
    report: text('report.xlsx', writeCsv(demoReport())),
  },
  {
    name: 'a CSV report containing NUL bytes is returned as binary',
    verdict: 'returned',
    codes: ['EVD-FILE-BINARY'],
    report: { fileName: 'report.csv', bytes: new Uint8Array([0x61, 0x2c, 0x00, 0x62, 0x0a]) },
  },
  {
    name: 'a CSV report that is neither UTF-8 nor GB18030 is returned',
    verdict: 'returned',
    codes: ['EVD-FILE-ENCODING'],
    report: { fileName: 'report.csv', bytes: new Uint8Array([0x61, 0x2c, 0xff, 0xff, 0xff, 0x0a]) },
  },
  {
    name: 'a CSV report with an unclosed quote is returned as unparsable',
    verdict: 'returned',
    codes: ['EVD-FILE-UNPARSABLE'],
    report: text('report.csv', 'enterpriseId,period\n"91360100MA35XXXXXN,2026-03\n'),
  },
  {
    name: 'a JSON report with a syntax error is returned as unparsable',
    verdict: 'returned',
    codes: ['EVD-FILE-UNPARSABLE'],
    report: text('report.json', '{"enterpriseId": "91360100MA35XXXXXN",'),
  },
  {
    name: 'a CSV report without the unit column is returned',
    verdict: 'returned',
    codes: ['EVD-REPORT-HEADER'],
    build: { rows: (rows) => rows.map((r) => r.filter((_, i) => i !== 5)) },
  },
  {
    name: 'a JSON report without units is returned',
    verdict: 'returned',
    codes: ['EVD-REPORT-SCHEMA'],
    report: text('report.json', '{"enterpriseId":"91360100MA35XXXXXN","period":"2026-03"}'),
  },
  { name: 'a CSV report with only a header row is returned', verdict: 'returned', codes: ['EVD-REPORT-EMPTY'], build: { rows: (rows) => rows.slice(0, 1) } },
  {
    name: 'a row for another month inside the report is returned',
    verdict: 'returned',
    codes: ['EVD-REPORT-INCONSISTENT'],
    build: { rows: (rows) => rows.map((r, i) => (i === 5 ? r.map((c, j) => (j === 1 ? '2026-02' : c)) : r)) },
  },
  {
    name: 'a report naming another enterprise than its key is returned',
    verdict: 'returned',
    codes: ['EVD-ENTERPRISE-MISMATCH'],
    build: {
      mutate: (r) => {
        r.enterpriseId = '91360100MA35F0001F';
      },
    },
  },
  {
    name: 'a report naming another month than its key is returned',
    verdict: 'returned',
    codes: ['EVD-PERIOD-MISMATCH'],
    build: {
      mutate: (r) => {
        r.period = '2026-02';
      },
    },
  },
  {
    name: 'a deposit received before its month has ended is returned',
    verdict: 'returned',
    codes: ['EVD-PERIOD-NOT-ENDED'],
    build: {},
    receivedAt: '2026-03-20T02:00:00.000Z',
  },
  {
    name: 'a deposit from an enterprise missing from the registry is returned',
    verdict: 'returned',
    codes: ['EVD-ENTERPRISE-UNKNOWN'],
    build: {},
    enterprise: null,
  },
  {
    name: 'a deposit for a month before the obligation starts is returned',
    verdict: 'returned',
    codes: ['EVD-ENTERPRISE-NOT-OBLIGED'],
    build: {},
    enterprise: { ...ENTERPRISE, obligedFrom: '2026-06' },
  },
  {
    name: 'an unknown parameter row is returned',
    verdict: 'returned',
    codes: ['EVD-PARAM-UNKNOWN'],
    build: { rows: (rows) => [...rows, [ENTERPRISE.enterpriseId, DEMO_PERIOD, '1', 'coalStock', 1000, 't', null, null]] },
  },
  {
    name: 'a parameter reported twice for one unit is returned',
    verdict: 'returned',
    codes: ['EVD-PARAM-DUPLICATE'],
    build: { rows: (rows) => [...rows, [...(rows[rowIndex(rows, '1', 'sulfur')] as Cell[])]] },
  },
  {
    name: 'an empty value cell is not read as zero and is returned',
    verdict: 'returned',
    codes: ['EVD-PARAM-EMPTY'],
    build: {
      rows: (rows) => {
        (rows[rowIndex(rows, '1', 'coalConsumed')] as Cell[])[4] = null;
        return rows;
      },
    },
  },
  {
    name: 'a value that is not a number is returned',
    verdict: 'returned',
    codes: ['EVD-PARAM-NOT-NUMBER'],
    build: {
      rows: (rows) => {
        (rows[rowIndex(rows, '1', 'loadFactor')] as Cell[])[4] = '七十八';
        return rows;
      },
    },
  },
  {
    name: 'a % sign on a tonnage is not a number and is returned',
    verdict: 'returned',
    codes: ['EVD-PARAM-NOT-NUMBER'],
    build: {
      rows: (rows) => {
        (rows[rowIndex(rows, '2', 'coalConsumed')] as Cell[])[4] = '5%';
        return rows;
      },
    },
  },
  {
    name: 'a value in a unit the parameter does not accept is returned',
    verdict: 'returned',
    codes: ['EVD-PARAM-UNIT'],
    build: {
      rows: (rows) => {
        (rows[rowIndex(rows, '1', 'coalConsumed')] as Cell[])[5] = 'kg';
        return rows;
      },
    },
  },
  {
    name: 'a malformed declared SHA-256 is returned',
    verdict: 'returned',
    codes: ['EVD-EVIDENCE-HASH-FORMAT'],
    build: {
      rows: (rows) => {
        (rows[rowIndex(rows, '1', 'coalConsumed')] as Cell[])[7] = 'not-a-hash';
        return rows;
      },
    },
  },
  {
    name: 'an evidence file named with a folder is returned and the parameter counts as unsupported',
    verdict: 'returned',
    codes: ['EVD-EVIDENCE-NAME', 'EVD-EVIDENCE-LEDGER-MISSING'],
    build: {
      rows: (rows) => {
        (rows[rowIndex(rows, '1', 'coalConsumed')] as Cell[])[6] = 'scans/unit1-ledger.pdf';
        return rows;
      },
    },
  },
  {
    name: 'a value column given twice, under its Chinese and its English name, is returned',
    verdict: 'returned',
    codes: ['EVD-REPORT-COLUMN-DUPLICATE'],
    build: { rows: (rows) => rows.map((r, i) => [...r, i === 0 ? '数值' : (r[4] ?? null)]) },
  },
  {
    name: 'a report with hundreds of problems lists the first ones and says it was truncated',
    verdict: 'returned',
    codes: ['EVD-PARAM-UNKNOWN', 'EVD-ISSUES-TRUNCATED'],
    build: {
      rows: (rows) => [...rows, ...Array.from({ length: 250 }, (_, i): Cell[] => [ENTERPRISE.enterpriseId, DEMO_PERIOD, '1', `extra${i}`, 1, 't', null, null])],
    },
  },
];

const lab = DEMO_EVIDENCE_NAMES.lab;
const ledger = DEMO_EVIDENCE_NAMES.ledger;

const COMPLETENESS: Spec[] = [
  {
    name: 'a registered unit missing from the report is returned',
    verdict: 'returned',
    codes: ['EVD-UNIT-MISSING'],
    build: {
      mutate: (r) => {
        r.units = r.units.filter((u) => u.unitId !== '2');
      },
      evidence: (f) => f.filter((e) => e.fileName !== ledger('2') && e.fileName !== lab('2')),
    },
  },
  {
    name: 'a unit the registry does not know is returned',
    verdict: 'returned',
    codes: ['EVD-UNIT-UNKNOWN', 'EVD-UNIT-MISSING'],
    build: {
      mutate: (r) => {
        unit(r, '3').unitId = '4';
      },
    },
  },
  {
    name: 'a required parameter left out is returned',
    verdict: 'returned',
    codes: ['EVD-PARAM-MISSING'],
    build: {
      mutate: (r) => {
        delete unit(r, '1').parameters.loadFactor;
      },
    },
  },
  {
    name: 'a coal unit without a lab report number is returned',
    verdict: 'returned',
    codes: ['EVD-LAB-REPORT-MISSING'],
    build: {
      mutate: (r) => {
        delete unit(r, '1').labReport;
      },
    },
  },
  {
    name: 'a coal unit reporting gas consumed needs review',
    verdict: 'needs-review',
    codes: ['EVD-PARAM-EXTRA'],
    build: { mutate: (r) => set(r, '1', 'gasConsumed', 12) },
  },
  {
    name: 'a parameter without its ledger scan needs review',
    verdict: 'needs-review',
    codes: ['EVD-EVIDENCE-LEDGER-MISSING'],
    build: {
      mutate: (r) => {
        const heat = unit(r, '3').parameters.heatSupplied;
        if (heat) delete heat.evidenceFile;
      },
    },
  },
  {
    name: 'a lab report number without the lab report scan is returned',
    verdict: 'returned',
    codes: ['EVD-EVIDENCE-LAB-MISSING'],
    build: {
      mutate: (r) => {
        const l = unit(r, '1').labReport;
        if (l) delete l.evidenceFile;
      },
    },
  },
  {
    name: 'an evidence file no row names is not read and changes nothing',
    verdict: 'accepted',
    codes: [],
    build: { evidence: (f) => [...f, { fileName: 'notes.pdf', bytes: pdfBytes('meeting notes') }] },
  },
  {
    name: 'a report naming more evidence files than the limit is returned',
    verdict: 'returned',
    codes: ['EVD-EVIDENCE-TOO-MANY'],
    settings: { evidence: { maxFiles: 1 } },
    build: {},
  },
];

const EVIDENCE: Spec[] = [
  {
    name: 'an empty evidence file is returned',
    verdict: 'returned',
    codes: ['EVD-EVIDENCE-EMPTY'],
    build: { evidence: (f) => replaceFile(f, DEMO_EVIDENCE_NAMES.heat, new Uint8Array()) },
  },
  {
    name: 'an evidence file above the configured size limit is returned',
    verdict: 'returned',
    codes: ['EVD-EVIDENCE-TOO-LARGE'],
    settings: { evidence: { maxBytes: 4096 } },
    build: { evidence: (f) => replaceFile(f, ledger('1'), new Uint8Array(Buffer.concat([Buffer.from(pdfBytes('big scan')), Buffer.alloc(5000, 0x20)]))) },
  },
  {
    name: 'a Word document renamed to .pdf is recognised by its content and returned',
    verdict: 'returned',
    codes: ['EVD-EVIDENCE-TYPE'],
    build: {
      evidence: (f) =>
        replaceFile(
          f,
          ledger('1'),
          zipBytes([
            { name: '[Content_Types].xml', data: new TextEncoder().encode('<Types/>') },
            { name: 'word/document.xml', data: new TextEncoder().encode('<w:document/>') },
          ]),
        ),
    },
  },
  {
    name: 'a text file named .pdf is returned',
    verdict: 'returned',
    codes: ['EVD-EVIDENCE-TYPE'],
    build: { evidence: (f) => replaceFile(f, lab('2'), new TextEncoder().encode('scan to follow')) },
  },
  {
    name: 'a PNG named .jpg needs review',
    verdict: 'needs-review',
    codes: ['EVD-EVIDENCE-EXTENSION'],
    build: { evidence: (f) => replaceFile(f, DEMO_EVIDENCE_NAMES.heat, pngBytes('heat ledger photo')) },
  },
  {
    name: 'an evidence file in the deposit that cannot be read is returned as unreadable, not as missing or mismatched',
    verdict: 'returned',
    codes: ['EVD-EVIDENCE-UNREADABLE'],
    build: { evidence: (f) => f.map((e) => (e.fileName === lab('1') ? { ...e, unreadable: 'archived storage class (GLACIER)' } : e)) },
  },
  {
    name: 'an evidence file swapped after its hash was declared is returned',
    verdict: 'returned',
    codes: ['EVD-EVIDENCE-HASH-MISMATCH'],
    build: { keepDeclaredHashes: true, evidence: (f) => replaceFile(f, lab('1'), pdfBytes('a different lab report')) },
  },
  {
    name: 'an evidence file the report names but the deposit lacks is returned',
    verdict: 'returned',
    codes: ['EVD-EVIDENCE-MISSING'],
    build: { evidence: (f) => f.filter((e) => e.fileName !== lab('1')) },
  },
  {
    name: 'a lab report date that is not a date is returned',
    verdict: 'returned',
    codes: ['EVD-LAB-REPORT-DATE-FORMAT'],
    build: {
      mutate: (r) => {
        const l = unit(r, '2').labReport;
        if (l) l.issuedOn = 'next Tuesday';
      },
    },
  },
  {
    name: 'a lab report issued months before the period needs review',
    verdict: 'needs-review',
    codes: ['EVD-LAB-REPORT-DATE'],
    build: {
      mutate: (r) => {
        const l = unit(r, '1').labReport;
        if (l) l.issuedOn = '2025-12-01';
      },
    },
  },
];

const m = (mutate: (r: MonthlyReport) => void): Build => ({ mutate });

const PLAUSIBILITY: Spec[] = [
  { name: 'negative coal consumed is returned', verdict: 'returned', codes: ['EVD-RANGE-COAL'], build: m((r) => set(r, '1', 'coalConsumed', -5)) },
  { name: 'negative gas consumed is returned', verdict: 'returned', codes: ['EVD-RANGE-GAS'], build: m((r) => set(r, '3', 'gasConsumed', -1)) },
  {
    name: 'an NCV below 10 GJ/t is returned, and disagrees with carbon, composition and coal rate',
    verdict: 'returned',
    codes: ['EVD-RANGE-NCV', 'EVD-CROSS-CPH-CARBON-NCV', 'EVD-CROSS-NCV-COMPOSITION', 'EVD-CROSS-NET-COAL-RATE'],
    build: m((r) => set(r, '1', 'ncvAsReceived', 9.5)),
  },
  {
    name: 'a consistent low-rank coal with an atypical NCV needs review',
    verdict: 'needs-review',
    codes: ['EVD-ATYPICAL-NCV'],
    build: m((r) => setSample(r, '1', { carbon: 35, ncv: 12.5, hydrogen: 2.5, moisture: 30 })),
  },
  {
    name: 'elemental carbon above 75% is returned',
    verdict: 'returned',
    codes: ['EVD-RANGE-CARBON', 'EVD-CROSS-CPH-CARBON-NCV', 'EVD-CROSS-NCV-COMPOSITION'],
    build: m((r) => set(r, '1', 'carbonAsReceived', 80)),
  },
  {
    name: 'carbon per unit heat above 0.035 tC/GJ is returned',
    verdict: 'returned',
    codes: ['EVD-RANGE-CPH', 'EVD-CROSS-CPH-CARBON-NCV'],
    build: m((r) => set(r, '1', 'carbonPerHeat', 0.04)),
  },
  {
    name: 'a consistent but atypically high carbon per unit heat needs review',
    verdict: 'needs-review',
    codes: ['EVD-ATYPICAL-CPH'],
    build: m((r) => setSample(r, '1', { carbon: 65, ncv: 21.3 })),
  },
  { name: 'hydrogen above 5% is returned', verdict: 'returned', codes: ['EVD-RANGE-H'], build: m((r) => set(r, '1', 'hydrogen', 6)) },
  { name: 'sulfur above 3% is returned', verdict: 'returned', codes: ['EVD-RANGE-S'], build: m((r) => set(r, '1', 'sulfur', 3.5)) },
  { name: 'moisture above 40% is returned', verdict: 'returned', codes: ['EVD-RANGE-MT'], build: m((r) => set(r, '1', 'moisture', 45)) },
  {
    name: 'negative purchased electricity is returned',
    verdict: 'returned',
    codes: ['EVD-RANGE-PURCHASED'],
    build: m((r) => set(r, '3', 'purchasedElectricity', -1)),
  },
  {
    name: 'generation beyond any unit is returned',
    verdict: 'returned',
    codes: ['EVD-RANGE-GENERATED', 'EVD-CROSS-GEN-GT-CAPACITY', 'EVD-CROSS-AUX-RATE', 'EVD-CROSS-LOAD-FACTOR'],
    build: m((r) => set(r, '3', 'powerGenerated', 20_000_000)),
  },
  {
    name: 'negative power supplied is returned',
    verdict: 'returned',
    codes: ['EVD-RANGE-SUPPLIED', 'EVD-CROSS-AUX-RATE'],
    build: m((r) => set(r, '3', 'powerSupplied', -5)),
  },
  { name: 'negative heat supplied is returned', verdict: 'returned', codes: ['EVD-RANGE-HEAT'], build: m((r) => set(r, '3', 'heatSupplied', -1)) },
  {
    name: 'more than 744 operating hours is returned',
    verdict: 'returned',
    codes: ['EVD-RANGE-HOURS', 'EVD-CROSS-HOURS-GT-MONTH', 'EVD-CROSS-LOAD-FACTOR'],
    build: m((r) => set(r, '3', 'operatingHours', 800)),
  },
  {
    name: 'a load factor above 100% is returned',
    verdict: 'returned',
    codes: ['EVD-RANGE-LOAD', 'EVD-CROSS-LOAD-FACTOR'],
    build: m((r) => set(r, '3', 'loadFactor', 120)),
  },
  {
    name: 'the default carbon per unit heat used while a lab report is attached needs review',
    verdict: 'needs-review',
    codes: ['EVD-CPH-DEFAULT-WITH-LAB'],
    build: m((r) => set(r, '1', 'carbonPerHeat', 0.03085)),
  },
  {
    name: 'the former default carbon per unit heat 0.03356 is returned',
    verdict: 'returned',
    codes: ['EVD-CPH-FORMER-DEFAULT'],
    build: m((r) => set(r, '1', 'carbonPerHeat', 0.03356)),
  },
  {
    name: 'carbon per unit heat that is not carbon ÷ NCV needs review',
    verdict: 'needs-review',
    codes: ['EVD-CROSS-CPH-CARBON-NCV'],
    build: m((r) => set(r, '1', 'carbonPerHeat', 0.025)),
  },
  {
    name: 'an NCV far from the elemental analysis needs review',
    verdict: 'needs-review',
    codes: ['EVD-CROSS-NCV-COMPOSITION', 'EVD-ATYPICAL-CPH'],
    build: m((r) => setSample(r, '1', { carbon: 56.9, ncv: 25 })),
  },
  {
    name: 'power supplied above power generated is returned',
    verdict: 'returned',
    codes: ['EVD-CROSS-SUPPLIED-GT-GENERATED'],
    build: m((r) => set(r, '3', 'powerSupplied', get(r, '3', 'powerGenerated') + 100)),
  },
  {
    name: 'an auxiliary power rate of 15% needs review',
    verdict: 'needs-review',
    codes: ['EVD-CROSS-AUX-RATE'],
    build: m((r) => set(r, '3', 'powerSupplied', round(get(r, '3', 'powerGenerated') * 0.85, 1))),
  },
  {
    name: 'more operating hours than February has is returned',
    verdict: 'returned',
    codes: ['EVD-CROSS-HOURS-GT-MONTH'],
    build: {
      period: '2026-02',
      mutate: (r) => {
        set(r, '3', 'operatingHours', 700);
        set(r, '3', 'powerGenerated', round(400 * 700 * (get(r, '3', 'loadFactor') / 100), 1));
        set(r, '3', 'powerSupplied', round(get(r, '3', 'powerGenerated') * 0.965, 1));
      },
    },
  },
  {
    name: 'output from a unit with zero operating hours is returned',
    verdict: 'returned',
    codes: ['EVD-CROSS-ZERO-HOURS-OUTPUT', 'EVD-CROSS-GEN-GT-CAPACITY'],
    build: m((r) => set(r, '3', 'operatingHours', 0)),
  },
  {
    name: 'generation above capacity × hours is returned',
    verdict: 'returned',
    codes: ['EVD-CROSS-GEN-GT-CAPACITY'],
    build: m((r) => {
      const hours = get(r, '3', 'operatingHours');
      set(r, '3', 'loadFactor', 100);
      set(r, '3', 'powerGenerated', round(400 * hours * 1.01, 1));
      set(r, '3', 'powerSupplied', round(get(r, '3', 'powerGenerated') * 0.965, 1));
    }),
  },
  {
    name: 'a load factor that disagrees with generation needs review',
    verdict: 'needs-review',
    codes: ['EVD-CROSS-LOAD-FACTOR'],
    build: m((r) => set(r, '3', 'loadFactor', 80)),
  },
  {
    name: 'a net coal consumption of 420 gce/kWh needs review',
    verdict: 'needs-review',
    codes: ['EVD-CROSS-NET-COAL-RATE'],
    build: m((r) => set(r, '1', 'coalConsumed', round(get(r, '1', 'coalConsumed') * 1.4, 1))),
  },
];

const EARLIER: Build[] = [{ period: '2026-01' }, { period: '2026-02' }];

const HISTORY: Spec[] = [
  {
    name: 'a unit whose values are copied from the previous month needs review',
    verdict: 'needs-review',
    codes: ['EVD-HIST-IDENTICAL-MONTH'],
    before: EARLIER,
    build: m((r) => {
      unit(r, '1').parameters = structuredClone(unit(demoReport('2026-02'), '1').parameters);
    }),
  },
  {
    name: 'a lab report number used in an earlier month needs review',
    verdict: 'needs-review',
    codes: ['EVD-HIST-LAB-REPORT-REUSED'],
    before: EARLIER,
    build: m((r) => {
      const l = unit(r, '1').labReport;
      if (l) l.reportNo = 'JX-LAB-2026-02-U1';
    }),
  },
  {
    name: 'an evidence file identical to one deposited for an earlier month needs review',
    verdict: 'needs-review',
    codes: ['EVD-HIST-EVIDENCE-REUSED'],
    before: EARLIER,
    build: { evidence: (f) => replaceFile(f, ledger('1'), (demoEvidence('2026-02').find((e) => e.fileName === ledger('1')) as DemoFile).bytes) },
  },
  {
    name: 'an NCV and carbon a quarter below last month need review',
    verdict: 'needs-review',
    codes: ['EVD-HIST-ABRUPT-CHANGE'],
    before: EARLIER,
    build: m((r) => setSample(r, '1', { carbon: 43, ncv: 16 })),
  },
  {
    name: 'elemental carbon unchanged for three months needs review',
    verdict: 'needs-review',
    codes: ['EVD-HIST-CARBON-CONSTANT'],
    before: EARLIER.map((b) => ({ ...b, mutate: (r: MonthlyReport) => setSample(r, '1', { carbon: 56, ncv: get(r, '1', 'ncvAsReceived') }) })),
    build: m((r) => setSample(r, '1', { carbon: 56, ncv: get(r, '1', 'ncvAsReceived') })),
  },
];

const ABUSE: Spec[] = [
  {
    name: 'a ZIP bomb posing as XLSX is returned without being unpacked',
    verdict: 'returned',
    codes: ['EVD-XLSX-UNPACKS-TOO-LARGE'],
    report: await zipBombXlsx(),
  },
  { name: 'a workbook with macros is returned unopened', verdict: 'returned', codes: ['EVD-XLSX-MACROS'], report: await macroXlsx() },
  {
    name: 'a workbook linking to other workbooks is returned unopened',
    verdict: 'returned',
    codes: ['EVD-XLSX-EXTERNAL-LINKS'],
    report: await externalLinkXlsx(),
  },
  {
    name: 'a sheet with a cell on its last row (1,048,576) is returned without being opened',
    verdict: 'returned',
    codes: ['EVD-REPORT-TOO-MANY-ROWS'],
    report: await lastRowXlsx(demoReport()),
  },
  {
    name: 'a workbook whose first sheet is hidden is read from its first visible sheet and needs review',
    verdict: 'needs-review',
    codes: ['EVD-XLSX-HIDDEN-SHEET'],
    report: await hiddenFirstSheetXlsx(demoReport()),
  },
  { name: 'JSON nested a million deep is returned unparsed', verdict: 'returned', codes: ['EVD-JSON-TOO-DEEP'], report: deepJson() },
  { name: 'JSON with a key written twice is returned', verdict: 'returned', codes: ['EVD-JSON-DUPLICATE-KEY'], report: duplicateKeyJson(demoReport()) },
];

/** Files saved by LibreOffice (test/corpus/office): the layouts and encodings people's sheets come in, and the formats refused. */
const OFFICE: Spec[] = [
  {
    name: 'an XLSX saved by LibreOffice Calc (long template, Chinese headers) is accepted',
    verdict: 'accepted',
    codes: [],
    report: officeFile('long-libreoffice.xlsx', '月度存证.xlsx'),
  },
  {
    name: 'a government-style template with a merged title, a merged enterprise line and a note above the header is accepted',
    verdict: 'accepted',
    codes: [],
    report: officeFile('title-template.xlsx', '2026年3月重点参数月度存证表.xlsx'),
  },
  {
    name: 'a wide XLSX with one row per unit (parameters as columns, units in the headers) is accepted',
    verdict: 'accepted',
    codes: [],
    report: officeFile('unit-rows.xlsx', 'report.xlsx'),
  },
  {
    name: 'a wide XLSX with one row per parameter (units as columns) is accepted',
    verdict: 'accepted',
    codes: [],
    report: officeFile('parameter-rows.xlsx', 'report.xlsx'),
  },
  { name: 'a GB18030 CSV made from a LibreOffice export is accepted', verdict: 'accepted', codes: [], report: officeFile('long-gb18030.csv', '月度存证.csv') },
  {
    name: 'a UTF-8 CSV with a BOM exported by LibreOffice is accepted',
    verdict: 'accepted',
    codes: [],
    report: officeFile('long-utf8-bom.csv', '月度存证.csv'),
  },
  {
    name: 'an Excel 97-2003 .xls workbook is returned, naming the format and asking for XLSX or CSV',
    verdict: 'returned',
    codes: ['EVD-FILE-FORMAT-UNSUPPORTED'],
    report: officeFile('short-libreoffice.xls', '月度存证.xls'),
  },
  {
    name: 'an .xls workbook renamed to .xlsx is recognised by its content and returned',
    verdict: 'returned',
    codes: ['EVD-FILE-FORMAT-UNSUPPORTED'],
    report: officeFile('short-libreoffice.xls', 'report.xlsx'),
  },
  {
    name: 'a WPS .et workbook (an OLE2 file too) is returned',
    verdict: 'returned',
    codes: ['EVD-FILE-FORMAT-UNSUPPORTED'],
    report: officeFile('short-libreoffice.xls', '月度存证.et'),
  },
  {
    name: 'an OpenDocument spreadsheet (.ods) is returned',
    verdict: 'returned',
    codes: ['EVD-FILE-FORMAT-UNSUPPORTED'],
    report: officeFile('short-libreoffice.ods', '月度存证.ods'),
  },
  { name: 'an Apple Numbers document is returned', verdict: 'returned', codes: ['EVD-FILE-FORMAT-UNSUPPORTED'], report: numbersFile() },
  { name: 'a PDF uploaded as the report is returned', verdict: 'returned', codes: ['EVD-FILE-FORMAT-UNSUPPORTED'], report: pdfReport() },
];

const SPECS: Spec[] = [...VALID, ...OFFICE, ...INTAKE, ...COMPLETENESS, ...EVIDENCE, ...PLAUSIBILITY, ...HISTORY, ...ABUSE];

let built: Promise<CorpusCase[]> | undefined;

/** Every corpus case, built once: power's, then the other industries' (industry-cases.ts). */
export function corpusCases(): Promise<CorpusCase[]> {
  built ??= Promise.all([Promise.all(SPECS.map(buildCase)), industryCases()]).then(([power, industries]) => [...power, ...industries]);
  return built;
}

async function buildCase(spec: Spec): Promise<CorpusCase> {
  const main: CorpusDeposit =
    'build' in spec
      ? await deposit(spec.build)
      : {
          enterpriseId: ENTERPRISE.enterpriseId,
          period: DEMO_PERIOD,
          depositId: `d-${DEMO_PERIOD}-1`,
          files: { report: spec.report, evidence: spec.evidence ?? demoEvidence() },
          receivedAt: received(DEMO_PERIOD),
        };
  const enterprise = spec.enterprise === null ? undefined : (spec.enterprise ?? ENTERPRISE);
  return {
    name: spec.name,
    ...main,
    ...(spec.receivedAt ? { receivedAt: spec.receivedAt } : {}),
    ...(enterprise ? { enterprise } : {}),
    ...(spec.before ? { before: await Promise.all(spec.before.map(deposit)) } : {}),
    ...(spec.keyReused ? { keyReused: true } : {}),
    ...(spec.settings ? { settings: spec.settings } : {}),
    expected: { verdict: spec.verdict, codes: spec.codes },
  };
}
