/**
 * The month's report template (月报模板) for one enterprise: an XLSX in the long layout the
 * readers take (report-table.ts), with Chinese headers, one row per registered facility and each
 * parameter its industry's catalogue expects of it (`expectedParameters`, catalogue order), the
 * canonical unit already written (a gas material's own), and the lab report rows. Only the values
 * and the evidence file names are left to fill, so a template filled in passes the template checks
 * by construction (test/domain/report-template.test.ts and industry-formats.test.ts fill them and
 * run the validator). A second sheet explains each parameter; it is visible, and the readers read
 * only the first visible sheet, so it is never judged.
 *
 * A power-only enterprise gets the template it always got (eight columns, the same notes). Where a
 * facility of another industry is owed, the first sheet has three more columns:
 * - 物料: the material a per-material row is for (入窑煤, 焦炭, 高炉煤气), by its Chinese name; the
 *   readers join it to the 参数 column (`化石燃料消耗量` + `入窑煤` → `fuelConsumed[kilnCoal]`);
 * - 取值方式: 实测 or 缺省值, asked where the catalogue lets a parameter be either (a drop-down);
 * - 填报要求: 必填 or 选填. A 选填 row (an auxiliary figure, the lab report of an industry whose
 *   compositions may all be defaults) left without a value and without evidence is read as not
 *   reported, so leaving it empty is no error.
 * A parameter the guideline fixes (`basis: 'default'`: the clinker factor, a substitute's deduction)
 * has its default already written in the 数值 column.
 */
import {
  defaultOf,
  type ExpectedParameter,
  expectedParameters,
  type IndustryCatalogue,
  type IndustryParameter,
  labReportAlwaysRequired,
  typicalOf,
  unitsOf,
} from './industry.ts';
import { industryCatalogue } from './industries/index.ts';
import { type ParameterCode, PARAMETERS } from './parameters.ts';
import type { Period } from './period.ts';
import { type Enterprise, type Facility, industriesOwed, industryOf } from './registry.ts';
import { COLUMNS, type Column, LAB_REPORT_NAMES } from './report-table.ts';
import { newWorkbook } from './workbook.ts';

export const TEMPLATE_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The power template's columns, in the order the first sheet has them. */
export const TEMPLATE_COLUMNS: readonly Column[] = ['enterpriseId', 'period', 'unitId', 'parameter', 'value', 'unit', 'evidenceFile', 'evidenceSha256'];

/** The columns where a facility of another industry is in the template. */
export const INDUSTRY_TEMPLATE_COLUMNS: readonly Column[] = [
  'enterpriseId',
  'period',
  'unitId',
  'parameter',
  'material',
  'value',
  'unit',
  'basis',
  'evidenceFile',
  'evidenceSha256',
  'requirement',
];

/** What a row of the template asks for: a parameter key of a facility, or a lab report field. */
export interface TemplateRow {
  readonly unitId: string;
  /** The key in the model (`coalConsumed`, `fuelConsumed[kilnCoal]`) or `labReportNo` / `labReportIssuedOn`. */
  readonly parameter: string;
  /** As written in the 参数 column: the parameter's Chinese name. */
  readonly name: string;
  /** As written in the 物料 column: the material's Chinese name, for a per-material key. */
  readonly material?: string;
  /** The canonical unit, empty for the lab report's text fields. */
  readonly unit: string;
  /** Required of the facility (必填); an optional row (选填) may be left empty. */
  readonly required: boolean;
  /** The guideline's default, written in for a parameter that must take it. */
  readonly value?: number;
  /** The row asks whether the value is measured or the default (取值方式). */
  readonly basisAsked: boolean;
  /** The catalogue entry, for the notes (absent for the lab report fields). */
  readonly definition?: ExpectedParameter;
}

type TemplateEnterprise = Pick<Enterprise, 'units'> & Partial<Pick<Enterprise, 'industries' | 'industry' | 'obligedFrom' | 'obligedUntil'>>;

/** The facilities the month's template lists: those of the industries owed in `period` (all, without a period or an obligation). */
export function templateFacilities(enterprise: TemplateEnterprise, period?: Period): readonly Facility[] {
  if (period === undefined || (enterprise.industries === undefined && enterprise.industry === undefined)) return enterprise.units;
  const owed = industriesOwed(enterprise as Pick<Enterprise, 'industries' | 'industry' | 'obligedFrom' | 'obligedUntil'>, period);
  return owed.length === 0 ? enterprise.units : enterprise.units.filter((u) => owed.includes(industryOf(u)));
}

const catalogueOf = (facility: Facility): IndustryCatalogue | undefined => industryCatalogue(industryOf(facility));

/** A power-only template: written exactly as it always was. */
function powerOnly(facilities: readonly Facility[]): boolean {
  return facilities.every((f) => industryOf(f) === 'power');
}

/** Does the facility get lab report rows, and must it fill them? */
function labRowsOf(catalogue: IndustryCatalogue, facility: Facility, expected: readonly ExpectedParameter[]): 'required' | 'optional' | undefined {
  if (labReportAlwaysRequired(catalogue, facility)) return 'required';
  // A `when-measured` catalogue asks for the report when a composition is declared measured: the
  // rows are there for the facility that has a composition to measure, and may be left empty.
  if (catalogue.labReport === 'when-measured' && expected.some((e) => e.parameter.composition && e.parameter.basis !== 'default')) return 'optional';
  return undefined;
}

/** Every row the enterprise fills for the month, facility by facility, in catalogue order, then each facility's lab report rows. */
export function templateRows(enterprise: TemplateEnterprise, period?: Period): TemplateRow[] {
  return templateFacilities(enterprise, period).flatMap((facility) => {
    const catalogue = catalogueOf(facility);
    if (!catalogue) return [];
    const expected = expectedParameters(catalogue, facility);
    const parameters = expected.map((e): TemplateRow => {
      const fixed = e.parameter.basis === 'default' ? defaultOf(e.parameter, facility, e.material?.code) : undefined;
      return {
        unitId: facility.unitId,
        parameter: e.key,
        name: e.parameter.zh,
        ...(e.material ? { material: e.material.zh } : {}),
        unit: unitsOf(e.parameter, e.material).unit,
        required: e.required,
        ...(fixed !== undefined ? { value: fixed } : {}),
        basisAsked: e.parameter.basis === 'measured-or-default',
        definition: e,
      };
    });
    const lab = labRowsOf(catalogue, facility, expected);
    const labRows: TemplateRow[] = lab
      ? (['labReportNo', 'labReportIssuedOn'] as const).map((field) => ({
          unitId: facility.unitId,
          parameter: field,
          name: LAB_REPORT_NAMES[field][0],
          unit: '',
          required: lab === 'required',
          basisAsked: false,
        }))
      : [];
    return [...parameters, ...labRows];
  });
}

/** The file name a template is offered under. */
export const templateFileName = (enterpriseId: string, period: Period) => `月报模板_${enterpriseId}_${period}.xlsx`;

/** The first sheet's header of the unit column: the level's name where the template has one industry (熟料生产线, 工序). */
function unitHeader(facilities: readonly Facility[]): string {
  const industries = [...new Set(facilities.map(industryOf))];
  const level = industries.length === 1 ? industryCatalogue(industries[0] as string)?.level.zh : undefined;
  return level && (COLUMNS.unitId as readonly string[]).includes(level) ? level : '设施';
}

const BASIS_ZH = { measured: '实测', default: '缺省值', 'measured-or-default': '实测或缺省值' } as const;
const CERTAINTY_ZH = { rule: '', impl: '（第三方转录）', est: '（估算 / estimate）' } as const;

/**
 * The template as XLSX bytes. `date` pins the workbook's timestamps (a test compares bytes).
 * Sheet rows are 1-based: the header is row 1, so a template row i (0-based) is sheet row i + 2.
 */
export async function writeTemplate(
  enterprise: Pick<Enterprise, 'enterpriseId' | 'name' | 'units'> & Partial<Pick<Enterprise, 'industries' | 'industry' | 'obligedFrom' | 'obligedUntil'>>,
  period: Period,
  date = new Date(0),
): Promise<Uint8Array> {
  const facilities = templateFacilities(enterprise, period);
  if (powerOnly(facilities)) return writePowerTemplate(enterprise, period, date);
  const rows = templateRows(enterprise, period);
  const workbook = await newWorkbook();
  workbook.created = date;
  workbook.modified = date;
  workbook.creator = 'evidence-deposit';
  const sheet = workbook.addWorksheet('月度存证');
  const columns = INDUSTRY_TEMPLATE_COLUMNS;
  sheet.addRow(columns.map((column) => (column === 'unitId' ? unitHeader(facilities) : COLUMNS[column][0])));
  for (const row of rows) {
    const cells: Partial<Record<Column, string | number | null>> = {
      enterpriseId: enterprise.enterpriseId,
      period,
      unitId: row.unitId,
      parameter: row.name,
      material: row.material ?? null,
      value: row.value ?? null,
      unit: row.unit,
      requirement: row.required ? '必填' : '选填',
    };
    const added = sheet.addRow(columns.map((c) => cells[c] ?? null));
    if (row.basisAsked) {
      added.getCell(columns.indexOf('basis') + 1).dataValidation = {
        type: 'list',
        allowBlank: true,
        formulae: ['"实测,缺省值"'],
        showErrorMessage: true,
        errorTitle: '取值方式',
        error: '填写“实测”或“缺省值”',
      };
    }
  }
  sheet.getRow(1).font = { bold: true };
  // The credit code, month and facility are text: typed over, Excel would otherwise read 2026-03 as a date.
  for (const column of [1, 2, 3]) sheet.getColumn(column).numFmt = '@';
  sheet.columns.forEach((column, i) => {
    column.width = [22, 10, 12, 26, 14, 14, 14, 10, 28, 66, 10][i] ?? 12;
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  writeIndustryNotes(workbook.addWorksheet('填写说明'), enterprise, period, facilities, rows);
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}

type Sheet = Awaited<ReturnType<typeof newWorkbook>>['worksheets'][number];

const band = (b: { min: number; max: number } | undefined) => (b ? `${b.min} – ${b.max}` : '');

/** The default as the notes say it: one value, or the value of each facility where they differ. */
function defaultText(parameter: IndustryParameter, rows: readonly TemplateRow[], facilities: readonly Facility[]): string {
  if (!parameter.default) return '';
  const values = rows.flatMap((r) => {
    const facility = facilities.find((f) => f.unitId === r.unitId);
    const value = facility ? defaultOf(parameter, facility, r.definition?.material?.code) : undefined;
    return value === undefined ? [] : [{ unitId: r.unitId, value }];
  });
  const distinct = [...new Set(values.map((v) => v.value))];
  const text = distinct.length <= 1 ? String(distinct[0] ?? '') : values.map((v) => `${v.unitId}：${v.value}`).join('；');
  return text === '' ? '' : `${text}${CERTAINTY_ZH[parameter.default.certainty]}`;
}

/** The notes sheet of a template with facilities of the new industries: every key explained from its catalogue. */
function writeIndustryNotes(
  notes: Sheet,
  enterprise: Pick<Enterprise, 'enterpriseId' | 'name'>,
  period: Period,
  facilities: readonly Facility[],
  rows: readonly TemplateRow[],
) {
  notes.addRow([
    `${enterprise.name}（${enterprise.enterpriseId}）${period} 月报：在第一张表的“数值”列填写数值，“证据文件”列填写同次提交的证据文件名（SHA256 可不填）。`,
  ]);
  notes.addRow([
    '“填报要求”为“选填”的行没有数据时可留空（数值和证据文件都不填即视为未报告）；“必填”的行必须填写。已填好数值的行为指南规定的缺省值，请勿修改。',
  ]);
  notes.addRow([
    '“取值方式”列：该参数可实测也可取缺省值时填写“实测”或“缺省值”；实测的成分参数须填写化验报告编号和日期，并提交 CMA/CNAS 化验报告；取缺省值时化验报告行留空。',
  ]);
  notes.addRow([]);
  const industries = [...new Set(facilities.map(industryOf))];
  for (const code of industries) {
    const catalogue = industryCatalogue(code);
    if (!catalogue) continue;
    const own = facilities.filter((f) => industryOf(f) === code);
    notes.addRow([`${catalogue.zh}（${catalogue.en}）：${catalogue.level.zh} ${own.map((f) => f.unitId).join('、')}；${catalogue.guideline}`]);
    notes.addRow(['参数', '参数代码', '物料', '英文名', '单位', '也接受的单位', '填报要求', '取值方式', '缺省值', '合理范围', '典型范围', '证据材料']);
    const keys = [...new Set(rows.filter((r) => r.definition && own.some((f) => f.unitId === r.unitId)).map((r) => r.parameter))];
    for (const key of keys) {
      const keyRows = rows.filter((r) => r.parameter === key && own.some((f) => f.unitId === r.unitId));
      const definition = keyRows[0]?.definition;
      if (!definition) continue;
      const { parameter, material } = definition;
      const { unit, units } = unitsOf(parameter, material);
      const typical = typicalOf(parameter, material?.code);
      const required = keyRows.every((r) => r.required) ? '必填' : keyRows.some((r) => r.required) ? '部分设施必填' : '选填';
      const evidence = [
        parameter.evidence?.zh ?? '',
        parameter.composition && parameter.basis !== 'default' ? '实测时需 CMA/CNAS 化验报告（填写化验报告编号、日期）' : '',
      ]
        .filter((t) => t !== '')
        .join('；');
      notes.addRow([
        parameter.zh,
        key,
        material?.zh ?? '',
        material ? `${parameter.en} (${material.en})` : parameter.en,
        unit,
        Object.keys(units)
          .filter((u) => u !== unit)
          .join('、'),
        required,
        BASIS_ZH[parameter.basis],
        defaultText(parameter, keyRows, own),
        band(parameter.range),
        typical ? `${band(typical)}${CERTAINTY_ZH[typical.certainty]}` : '',
        evidence,
      ]);
    }
    const lab = rows.filter((r) => r.parameter.startsWith('labReport') && own.some((f) => f.unitId === r.unitId));
    if (lab.length > 0) {
      const required = lab.every((r) => r.required);
      const when = required ? '必填' : '选填：有成分参数实测时必填，全部取缺省值时留空';
      notes.addRow([
        LAB_REPORT_NAMES.labReportNo[0],
        'labReportNo',
        '',
        'lab report number',
        '',
        '',
        when,
        '',
        '',
        '',
        '',
        '化验报告上的编号，证据文件列填写化验报告扫描件',
      ]);
      notes.addRow([LAB_REPORT_NAMES.labReportIssuedOn[0], 'labReportIssuedOn', '', 'lab report date', '', '', when, '', '', '', '', 'YYYY-MM-DD']);
    }
    if (catalogue.unverified.length > 0) notes.addRow([`尚未核实（not yet verified）：${catalogue.unverified.join('；')}`]);
    notes.addRow([]);
  }
  notes.columns.forEach((column, i) => {
    column.width = [24, 26, 12, 30, 14, 24, 12, 12, 16, 16, 20, 40][i] ?? 12;
  });
}

/** The power template, unchanged since before there were other industries. */
async function writePowerTemplate(enterprise: Pick<Enterprise, 'enterpriseId' | 'name' | 'units'>, period: Period, date: Date): Promise<Uint8Array> {
  const rows = templateRows(enterprise, period);
  const workbook = await newWorkbook();
  workbook.created = date;
  workbook.modified = date;
  workbook.creator = 'evidence-deposit';
  const sheet = workbook.addWorksheet('月度存证');
  sheet.addRow(TEMPLATE_COLUMNS.map((column) => COLUMNS[column][0]));
  for (const row of rows) {
    sheet.addRow([enterprise.enterpriseId, period, row.unitId, row.name, null, row.unit, null, null]);
  }
  sheet.getRow(1).font = { bold: true };
  // The credit code, month and unit are text: typed over, Excel would otherwise read 2026-03 as a date.
  for (const column of [1, 2, 3]) sheet.getColumn(column).numFmt = '@';
  sheet.columns.forEach((column, i) => {
    column.width = [22, 10, 10, 20, 14, 10, 28, 66][i] ?? 12;
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];

  const notes = workbook.addWorksheet('填写说明');
  notes.addRow([`${enterprise.name}（${enterprise.enterpriseId}）${period} 月报：在第一张表的“数值”列填写数值，“证据文件”列填写同次提交的证据文件名。`]);
  notes.addRow(['参数', '参数代码', '单位', '也接受的单位', '合理范围']);
  for (const code of new Set(rows.map((r) => r.parameter))) {
    if (!(code in PARAMETERS)) continue;
    const p = PARAMETERS[code as ParameterCode];
    const others = Object.keys(p.units).filter((u) => u !== p.unit);
    notes.addRow([p.zh, p.code, p.unit, others.join('、'), p.range ? `${p.range.min} – ${p.range.max}` : '']);
  }
  notes.addRow([LAB_REPORT_NAMES.labReportNo[0], 'labReportNo', '', '', '化验报告上的编号（燃煤机组）']);
  notes.addRow([LAB_REPORT_NAMES.labReportIssuedOn[0], 'labReportIssuedOn', '', '', 'YYYY-MM-DD（燃煤机组）']);
  notes.columns.forEach((column, i) => {
    column.width = [20, 22, 10, 30, 30][i] ?? 12;
  });
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}
