/**
 * The registry as departments keep it: a CSV or XLSX sheet, one enterprise per row. Import is
 * all or nothing: every row is checked first and any bad row (named by its line) stops the whole
 * file, because a half-loaded registry would silently shift both rates' denominator.
 *
 * Columns (English or Chinese headers, any order): enterpriseId 统一社会信用代码, name 企业名称,
 * province 所属省份, city 所在城市, division 行政区划代码 (GB/T 2260), industry 行业, units 机组
 * (`unitId:fuel:capacityMW` separated by `;`), obligedFrom 应报起始月, obligedUntil 应报截止月
 * (may be empty), and the contacts for reminders and notices, all optional: emails 联系邮箱 (addresses
 * separated by `;`), webhook 群机器人 (`wecom:<url>` or `dingtalk:<url>`, or `…:secret:<name>`),
 * language 通知语言 (zh 中文 / en English). The place is read as codes: the division code when given, else the city (and
 * province) as written in any common spelling (南昌, 南昌市, 南昌市生态环境局), else the credit
 * code's registering division (its characters 3–8); a place that names no division, or a city
 * that is not in the province given, is a bad row.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { type Contact, parseWebhookCell, webhookCell } from './contacts.ts';
import { cityCodeOf, divisionLabel, divisionOfCreditCode, inProvince, provinceCodeOf, provinceOfCity } from './provinces.ts';
import { type Enterprise, EnterpriseSchema } from './registry.ts';
import { decodeText } from './report-table.ts';
import { toCsv } from './summary-export.ts';
import { type CellValue, newWorkbook } from './workbook.ts';

export const REGISTRY_COLUMNS = [
  'enterpriseId',
  'name',
  'province',
  'city',
  'division',
  'industry',
  'units',
  'obligedFrom',
  'obligedUntil',
  'emails',
  'webhook',
  'language',
] as const;
type Column = (typeof REGISTRY_COLUMNS)[number];

const HEADER_ALIASES: Record<string, Column> = {
  enterpriseid: 'enterpriseId',
  统一社会信用代码: 'enterpriseId',
  信用代码: 'enterpriseId',
  社会信用代码: 'enterpriseId',
  企业统一社会信用代码: 'enterpriseId',
  name: 'name',
  单位详细名称: 'name',
  重点排放单位名称: 'name',
  名称: 'name',
  企业名称: 'name',
  单位名称: 'name',
  province: 'province',
  省份: 'province',
  省: 'province',
  所属省份: 'province',
  所在省份: 'province',
  省份名称: 'province',
  city: 'city',
  城市: 'city',
  市: 'city',
  地市: 'city',
  所在城市: 'city',
  所属城市: 'city',
  所在地市: 'city',
  所属地市: 'city',
  division: 'division',
  行政区划代码: 'division',
  区划代码: 'division',
  所在地区划代码: 'division',
  industry: 'industry',
  行业: 'industry',
  所属行业: 'industry',
  行业类别: 'industry',
  units: 'units',
  机组: 'units',
  机组信息: 'units',
  obligedfrom: 'obligedFrom',
  起始月份: 'obligedFrom',
  应报起始月: 'obligedFrom',
  应报起始月份: 'obligedFrom',
  obligeduntil: 'obligedUntil',
  截止月份: 'obligedUntil',
  应报截止月: 'obligedUntil',
  应报截止月份: 'obligedUntil',
  emails: 'emails',
  email: 'emails',
  联系邮箱: 'emails',
  邮箱: 'emails',
  电子邮箱: 'emails',
  webhook: 'webhook',
  群机器人: 'webhook',
  机器人地址: 'webhook',
  language: 'language',
  通知语言: 'language',
  语言: 'language',
};

const LANGUAGES: Record<string, Contact['language']> = { zh: 'zh', 中文: 'zh', chinese: 'zh', en: 'en', english: 'en', 英文: 'en' };

/** The row's contacts, none when every contact cell is empty; or the problem with one. */
function contactsOf(emailsText: string, webhookText: string, languageText: string): { contacts?: Contact } | RegistryProblemCell {
  const emails = emailsText.split(/[;,；，\s]+/).filter((e) => e !== '');
  const bad = emails.find((e) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e));
  if (bad) return { column: 'emails', message: `${bad} is not an e-mail address` };
  const webhook = parseWebhookCell(webhookText);
  if (typeof webhook === 'string') return { column: 'webhook', message: webhook };
  const language = languageText === '' ? 'zh' : LANGUAGES[languageText.toLowerCase()];
  if (!language) return { column: 'language', message: `language is zh (中文) or en (English), not ${languageText}` };
  if (emails.length === 0 && !webhook && languageText === '') return {};
  return { contacts: { emails, ...(webhook ? { webhook } : {}), language } };
}

interface RegistryProblemCell {
  readonly column: string;
  readonly message: string;
}

export interface RegistryProblem {
  /** 1-based line (CSV) or row (XLSX); the header is line 1. */
  readonly line: number;
  readonly column?: string;
  readonly message: string;
}

export type RegistryParse = { readonly ok: true; readonly enterprises: Enterprise[] } | { readonly ok: false; readonly problems: RegistryProblem[] };

function parseUnits(text: string): unknown[] | string {
  const units = [];
  for (const part of text
    .split(/[;；]/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [unitId, fuel, capacity] = part.split(':').map((p) => p.trim());
    if (!unitId || !fuel || !capacity) return `unit "${part}" is not written unitId:fuel:capacityMW (e.g. 1:coal:600)`;
    units.push({ unitId, fuel, capacityMW: Number(capacity) });
  }
  return units;
}

/** Validates rows of cells (the header row first); `firstLine` is the header's line number. */
export function parseRegistryRows(rows: readonly (readonly string[])[], firstLine = 1): RegistryParse {
  const [header, ...body] = rows;
  if (!header)
    return {
      ok: false,
      problems: [
        {
          line: firstLine,
          message: 'the file is empty: expected a header row',
        },
      ],
    };
  // Excel headers arrive with full-width brackets, stray spaces and a BOM.
  const columns = header.map(
    (h) =>
      HEADER_ALIASES[
        h
          .replace(/^\uFEFF/, '')
          .normalize('NFKC')
          .replace(/\s+/g, '')
          .toLowerCase()
      ],
  );
  // The place may be given by the division code, the city, or the credit code alone.
  const optional: readonly Column[] = ['obligedUntil', 'industry', 'province', 'city', 'division', 'emails', 'webhook', 'language'];
  const missing = REGISTRY_COLUMNS.filter((c) => !optional.includes(c) && !columns.includes(c));
  if (missing.length > 0)
    return {
      ok: false,
      problems: [
        {
          line: firstLine,
          message: `missing column(s): ${missing.join(', ')}`,
        },
      ],
    };
  const problems: RegistryProblem[] = [];
  const enterprises: Enterprise[] = [];
  const seen = new Map<string, number>();
  body.forEach((cells, i) => {
    const line = firstLine + 1 + i;
    if (cells.every((c) => c.trim() === '')) return;
    const value = (c: Column) => {
      const index = columns.indexOf(c);
      return index < 0 ? '' : (cells[index] ?? '').trim();
    };
    const place = placeOf(value('province'), value('city'), value('division'), value('enterpriseId').toUpperCase());
    if ('column' in place) {
      problems.push({ line, ...place });
      return;
    }
    const units = parseUnits(value('units'));
    if (typeof units === 'string') {
      problems.push({ line, column: 'units', message: units });
      return;
    }
    const contacts = contactsOf(value('emails'), value('webhook'), value('language'));
    if ('column' in contacts) {
      problems.push({ line, ...contacts });
      return;
    }
    const parsed = EnterpriseSchema.safeParse({
      ...contacts,
      enterpriseId: value('enterpriseId').toUpperCase(),
      name: value('name'),
      province: place.province,
      city: place.city,
      industry: value('industry') || undefined,
      units,
      obligedFrom: value('obligedFrom'),
      obligedUntil: value('obligedUntil') || undefined,
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push({
          line,
          column: issue.path.map(String).join('.'),
          message: issue.message,
        });
      return;
    }
    const e = parsed.data;
    if (e.obligedUntil && e.obligedUntil < e.obligedFrom)
      problems.push({
        line,
        column: 'obligedUntil',
        message: `obligedUntil ${e.obligedUntil} is before obligedFrom ${e.obligedFrom}`,
      });
    const earlier = seen.get(e.enterpriseId);
    if (earlier !== undefined)
      problems.push({
        line,
        column: 'enterpriseId',
        message: `${e.enterpriseId} is already on line ${earlier}`,
      });
    seen.set(e.enterpriseId, line);
    enterprises.push(e);
  });
  if (problems.length > 0) return { ok: false, problems };
  if (enterprises.length === 0)
    return {
      ok: false,
      problems: [{ line: firstLine, message: 'the file lists no enterprise' }],
    };
  return { ok: true, enterprises };
}

/** The row's province and city codes, or the problem with the place it gives. */
function placeOf(
  provinceText: string,
  cityText: string,
  divisionText: string,
  enterpriseId: string,
): { province: string; city: string } | { column: string; message: string } {
  const province = provinceText ? provinceCodeOf(provinceText) : undefined;
  if (provinceText && !province)
    return { column: 'province', message: `未知的省份 / unknown province: ${provinceText} (use a name such as 江西省 or 江西, or a code such as 360000)` };
  const division = divisionText ? cityCodeOf(divisionText) : undefined;
  if (divisionText && !division)
    return { column: 'division', message: `未知的行政区划代码 / unknown division code: ${divisionText} (a GB/T 2260 code such as 360100)` };
  const named = cityText ? cityCodeOf(cityText, province) : undefined;
  if (cityText && !named)
    return {
      column: 'city',
      message: province
        ? `${provinceText}没有城市“${cityText}” / no city ${cityText} in ${divisionLabel(province)}`
        : `未知的城市 / unknown city: ${cityText} (use a name such as 南昌市 or 南昌, or a code such as 360100)`,
    };
  if (division && named && division !== named)
    return {
      column: 'city',
      message: `城市 ${cityText} 与行政区划代码 ${divisionText} 不符 / city ${cityText} is not division ${divisionText} (${divisionLabel(division)})`,
    };
  const city = division ?? named ?? divisionOfCreditCode(enterpriseId).city;
  if (!city) return { column: 'city', message: '缺少所在城市 / no city: give 所在城市 or 行政区划代码' };
  if (province && !inProvince(city, province))
    return {
      column: 'division',
      message: `行政区划代码 ${city}（${divisionLabel(city)}）不在${divisionLabel(province)} / division ${city} is not in ${provinceText}`,
    };
  return { province: province === '660000' ? province : provinceOfCity(city), city };
}

/**
 * A CSV file's bytes as Excel saves them: UTF-8 with or without BOM, UTF-16 with BOM, or GB18030
 * (Excel on Chinese Windows), decoded as the report reader decodes deposits.
 */
export async function parseRegistryCsvBytes(bytes: Uint8Array): Promise<RegistryParse> {
  const decoded = await decodeText(bytes);
  if (decoded.text === undefined) {
    const message = decoded.issue ? `${decoded.issue.message.zh} / ${decoded.issue.message.en}` : 'not readable as text';
    return { ok: false, problems: [{ line: 1, message }] };
  }
  return parseRegistryCsv(decoded.text);
}

export function parseRegistryCsv(text: string): RegistryParse {
  let rows: string[][];
  try {
    rows = parseCsv(text.replace(/^\uFEFF/, ''), {
      relax_column_count: true,
      skip_empty_lines: false,
    }) as string[][];
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return {
      ok: false,
      problems: [{ line, message: `not readable as CSV: ${(error as Error).message}` }],
    };
  }
  // A neutralised cell (leading apostrophe before = + - @) is read back as written.
  return parseRegistryRows(rows.map((r) => r.map((c) => (/^'[=+\-@]/.test(c) ? c.slice(1) : c))));
}

function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    if (value instanceof Date) return value.toISOString().slice(0, 7);
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellText(value.result as CellValue);
    if ('text' in value) return String(value.text);
  }
  return String(value);
}

export async function parseRegistryXlsx(bytes: Uint8Array): Promise<RegistryParse> {
  const workbook = await newWorkbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch (error) {
    return {
      ok: false,
      problems: [
        {
          line: 1,
          message: `not a readable XLSX workbook: ${(error as Error).message.slice(0, 200)}`,
        },
      ],
    };
  }
  const sheet = workbook.worksheets[0];
  if (!sheet)
    return {
      ok: false,
      problems: [{ line: 1, message: 'the workbook has no worksheet' }],
    };
  const rows: string[][] = [];
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    rows.push(Array.from({ length: Math.max(row.cellCount, REGISTRY_COLUMNS.length) }, (_, c) => cellText(row.getCell(c + 1).value)));
  }
  return parseRegistryRows(rows);
}

function rowOf(e: Enterprise): string[] {
  return [
    e.enterpriseId,
    e.name,
    divisionLabel(e.province),
    divisionLabel(e.city),
    e.city,
    e.industry,
    e.units.map((u) => `${u.unitId}:${u.fuel}:${u.capacityMW}`).join(';'),
    e.obligedFrom,
    e.obligedUntil ?? '',
    (e.contacts?.emails ?? []).join(';'),
    webhookCell(e.contacts?.webhook),
    e.contacts ? e.contacts.language : '',
  ];
}

/** The Chinese header the import reads for each column (HEADER_ALIASES), as departments' own sheets name them. */
export const REGISTRY_COLUMNS_ZH: Readonly<Record<Column, string>> = {
  enterpriseId: '统一社会信用代码',
  name: '企业名称',
  province: '所属省份',
  city: '所在城市',
  division: '行政区划代码',
  industry: '行业',
  units: '机组',
  obligedFrom: '应报起始月',
  obligedUntil: '应报截止月',
  emails: '联系邮箱',
  webhook: '群机器人',
  language: '通知语言',
};

/** The registry as a CSV the import reads back unchanged; `headers: 'zh'` writes the Chinese headers. */
export function registryCsv(enterprises: readonly Enterprise[], options: { readonly headers?: 'en' | 'zh' } = {}): string {
  const header = options.headers === 'zh' ? REGISTRY_COLUMNS.map((c) => REGISTRY_COLUMNS_ZH[c]) : REGISTRY_COLUMNS;
  return toCsv(header, enterprises.map(rowOf));
}

/** A JSON entry's field as a cell: text as given, a number as its digits, anything else empty. */
function cellOf(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** `units` as the sheet writes them (`1:coal:600;2:gas:300`), from a list of units or that text. */
function unitsCell(units: unknown): string {
  if (!Array.isArray(units)) return cellOf(units);
  return units
    .map((u) => {
      const unit = (typeof u === 'object' && u !== null ? u : {}) as Record<string, unknown>;
      return [unit.unitId, unit.fuel, unit.capacityMW].map(cellOf).join(':');
    })
    .join(';');
}

/**
 * Registry entries given as JSON objects (an API body), checked by exactly the rules a sheet's
 * rows are: each entry becomes the row the sheet would hold. A problem's `line` is the entry's
 * 1-based position in the list.
 */
export function parseRegistryEntries(entries: readonly unknown[]): RegistryParse {
  const rows = entries.map((entry) => {
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const contacts = (typeof e.contacts === 'object' && e.contacts !== null ? e.contacts : {}) as Record<string, unknown>;
    const cell = (column: Column): string => {
      if (column === 'units') return unitsCell(e.units);
      // An API entry carries its contacts as the registry holds them (`contacts: { emails, webhook, language }`).
      if (column === 'emails') return Array.isArray(contacts.emails) ? contacts.emails.map(cellOf).join(';') : cellOf(e.emails);
      if (column === 'webhook') {
        const w = (typeof contacts.webhook === 'object' && contacts.webhook !== null ? contacts.webhook : undefined) as Record<string, unknown> | undefined;
        return w ? `${cellOf(w.robot)}:${cellOf(w.url)}` : cellOf(e.webhook);
      }
      if (column === 'language') return cellOf(contacts.language ?? e.language);
      return cellOf(e[column]);
    };
    return REGISTRY_COLUMNS.map(cell);
  });
  const parsed = parseRegistryRows([[...REGISTRY_COLUMNS], ...rows]);
  // The header row is line 1 of a sheet; an entry is counted from 1.
  return parsed.ok ? parsed : { ok: false, problems: parsed.problems.map((p) => ({ ...p, line: Math.max(1, p.line - 1) })) };
}

export async function registryXlsx(enterprises: readonly Enterprise[]): Promise<Uint8Array> {
  const workbook = await newWorkbook();
  workbook.created = new Date(0);
  workbook.modified = new Date(0);
  const sheet = workbook.addWorksheet('registry');
  sheet.addRow([...REGISTRY_COLUMNS]);
  // ExcelJS writes strings as text cells, never formulas, so names need no neutralising here.
  for (const e of enterprises) sheet.addRow(rowOf(e));
  sheet.columns.forEach((column, i) => {
    column.width = [22, 30, 14, 14, 10, 10, 28, 12, 12, 30, 40, 8][i] ?? 12;
  });
  return new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
}
