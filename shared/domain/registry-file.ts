/**
 * The registry as departments keep it: a CSV or XLSX sheet, one enterprise per row. Import is
 * all or nothing: every row is checked first and any bad row (named by its line) stops the whole
 * file, because a half-loaded registry would silently shift both rates' denominator.
 *
 * Columns (English or Chinese headers, any order): enterpriseId 统一社会信用代码, name 企业名称,
 * province 所属省份, city 所在城市, division 行政区划代码 (GB/T 2260), industry 行业, units 机组
 * (the facilities), obligedFrom 应报起始月, obligedUntil 应报截止月 (may be empty), and the contacts
 * for reminders and notices, all optional: emails 联系邮箱 (addresses
 * separated by `;`), webhook 群机器人 (`wecom:<url>` or `dingtalk:<url>`, or `…:secret:<name>`),
 * language 通知语言 (zh 中文 / en English). The place is read as codes: the division code when given, else the city (and
 * province) as written in any common spelling (南昌, 南昌市, 南昌市生态环境局), else the credit
 * code's registering division (its characters 3–8); a place that names no division, or a city
 * that is not in the province given, is a bad row.
 *
 * Industries, in the 行业 cell: one or more, separated by `;`, each by its code or Chinese name
 * (power 发电, cement 水泥熟料, aluminium 铝冶炼, steel 钢铁), each optionally with its own first
 * and last month: `发电;水泥熟料@2025-07`, `cement@2025-01~2026-12`, `steel~2026-06`. An
 * industry without its own first month starts at the row's 应报起始月, else at its catalogue's
 * start (cement, aluminium, steel: 2025-07); without its own last month it ends at the row's
 * 应报截止月 (none: it lasts). An empty cell, or a sheet without the column, is power (the sheets
 * kept before the new industries).
 *
 * Facilities, in the 机组 cell, separated by `;`: `[industry/]id:attribute:…[material,…]`, the
 * attributes in the catalogue's order (industries/*.ts `attributes`), each a number or one of its
 * values by code or Chinese name, the materials by code or Chinese name:
 *   power      `1:coal:600`                      (机组号:燃料类型:装机容量MW)
 *   cement     `L1:portland:5000[kilnCoal,carbideSlag]` (生产线:熟料类别:设计产能t/d[物料])
 *   aluminium  `S1:500:300[naturalGas]`          (电解系列:系列电流kA:电解槽数[物料])
 *   steel      `BF1:ironmaking[coke,bfg]`        (工序编号:工序类型[物料])
 * With several industries, a facility names its industry first (`cement/L1:portland:5000`)
 * unless its form fits exactly one of the row's industries; export always names it.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { type Contact, parseWebhookCell, webhookCell } from './contacts.ts';
import { industryCatalogue, isIndustryCode } from './industries/index.ts';
import type { IndustryCatalogue } from './industry.ts';
import { readNumber } from './numbers.ts';
import { PeriodSchema } from './period.ts';
import { cityCodeOf, divisionLabel, divisionOfCreditCode, industryCodeOf, inProvince, provinceCodeOf, provinceOfCity } from './provinces.ts';
import { type Enterprise, EnterpriseSchema, type Facility, industryOf, type Obligation, obligationsOf } from './registry.ts';
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
  facilities: 'units',
  机组: 'units',
  机组信息: 'units',
  设施: 'units',
  设施信息: 'units',
  生产线: 'units',
  工序: 'units',
  '机组/生产线/工序': 'units',
  '机组（生产线、工序）': 'units',
  '机组(生产线、工序)': 'units',
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

/** A facility's examples, per industry, for the messages (and the file's comment). */
const FACILITY_EXAMPLES: Readonly<Record<string, string>> = {
  power: '1:coal:600',
  cement: 'L1:portland:5000[kilnCoal,carbideSlag]',
  aluminium: 'S1:500:300[naturalGas]',
  steel: 'BF1:ironmaking[coke,bfg]',
};

/** `unitId:fuel:capacityMW` / `机组编号:燃料类型:装机容量MW`, with `[materials]` where the catalogue has materials. */
function facilityForm(catalogue: IndustryCatalogue): { zh: string; en: string } {
  const materials = catalogue.materials.length > 0;
  const example = FACILITY_EXAMPLES[catalogue.code];
  return {
    zh: `${catalogue.level.zh}编号:${catalogue.attributes.map((a) => a.header).join(':')}${materials ? '[物料,…]' : ''}${example ? `（如 ${example}）` : ''}`,
    en: `unitId:${catalogue.attributes.map((a) => a.code).join(':')}${materials ? '[material,…]' : ''}${example ? ` (e.g. ${example})` : ''}`,
  };
}

/**
 * The industry a 行业 cell or a facility's prefix names, or undefined: only a catalogue's code
 * counts (the alias table is a plain object, so `__proto__` or `constructor` would otherwise name
 * its prototype machinery and stop the import).
 */
function industryNamed(written: string): string | undefined {
  const code = industryCodeOf(written);
  return typeof code === 'string' && isIndustryCode(code) ? code : undefined;
}

const PERIOD = /^\d{4}-\d{2}$/;
const isPeriod = (text: string) => PERIOD.test(text) && PeriodSchema.safeParse(text).success;

/**
 * The row's obligations from its 行业 cell and its 应报起始月 / 应报截止月 cells (see the file's
 * comment), or the problem with one.
 */
function parseIndustries(text: string, fromText: string, untilText: string): Obligation[] | RegistryProblemCell {
  if (fromText && !isPeriod(fromText))
    return { column: 'obligedFrom', message: `应报起始月“${fromText}”应写作 YYYY-MM / obligedFrom ${fromText} is not a month written YYYY-MM (e.g. 2025-07)` };
  if (untilText && !isPeriod(untilText))
    return {
      column: 'obligedUntil',
      message: `应报截止月“${untilText}”应写作 YYYY-MM / obligedUntil ${untilText} is not a month written YYYY-MM (e.g. 2026-12)`,
    };
  const items = text
    .normalize('NFKC')
    .split(/[;；,，、]/)
    .map((p) => p.trim())
    .filter(Boolean);
  const obligations: Obligation[] = [];
  for (const item of items.length > 0 ? items : ['power']) {
    const match = /^([^@~]+?)\s*(?:@\s*([^~]*?))?\s*(?:~\s*(.*))?$/.exec(item);
    const code = match ? industryNamed(match[1] as string) : undefined;
    if (!match || !code)
      return {
        column: 'industry',
        message: `未知的行业“${match?.[1] ?? item}”（发电、水泥熟料、铝冶炼、钢铁）/ unknown industry ${match?.[1] ?? item} (power, cement, aluminium, steel; e.g. 发电;水泥熟料@2025-07)`,
      };
    const [, , ownFrom, ownUntil] = match;
    for (const month of [ownFrom, ownUntil])
      if (month !== undefined && month !== '' && !isPeriod(month))
        return {
          column: 'industry',
          message: `行业“${item}”的月份“${month}”应写作 YYYY-MM / industry ${item}: ${month} is not a month written YYYY-MM (e.g. cement@2025-07)`,
        };
    if (obligations.some((o) => o.industry === code)) return { column: 'industry', message: `行业 ${code} 填写了两次 / industry ${code} is listed twice` };
    const catalogue = industryCatalogue(code) as IndustryCatalogue;
    const obligedFrom = ownFrom || fromText || catalogue.obligedFrom;
    const obligedUntil = ownUntil || untilText || undefined;
    if (obligedUntil !== undefined && obligedUntil < obligedFrom)
      return ownFrom || ownUntil
        ? {
            column: 'industry',
            message: `行业 ${code} 的截止月 ${obligedUntil} 早于起始月 ${obligedFrom} / industry ${code}: obligedUntil ${obligedUntil} is before obligedFrom ${obligedFrom}`,
          }
        : {
            column: 'obligedUntil',
            message: `应报截止月 ${obligedUntil} 早于起始月 ${obligedFrom} / obligedUntil ${obligedUntil} is before obligedFrom ${obligedFrom}`,
          };
    obligations.push({ industry: code, obligedFrom, ...(obligedUntil ? { obligedUntil } : {}) });
  }
  return obligations;
}

/** One facility's attributes and materials under one catalogue, or what is wrong with them (zh, en). */
function facilityUnder(
  catalogue: IndustryCatalogue,
  unitId: string,
  fields: readonly string[],
  materialsText: string | undefined,
): Facility | { zh: string; en: string } {
  const form = facilityForm(catalogue);
  const wrong = (zh: string, en: string) => ({ zh: `${zh}，应写作 ${form.zh}`, en: `${en}; write ${form.en}` });
  if (fields.length !== catalogue.attributes.length)
    return wrong(
      `${catalogue.zh}${catalogue.level.zh}“${unitId}”应有 ${catalogue.attributes.length} 项属性`,
      `${catalogue.en} facility ${unitId} has ${catalogue.attributes.length} attribute(s)`,
    );
  const facility: Record<string, unknown> = { unitId, industry: catalogue.code };
  for (const [i, attribute] of catalogue.attributes.entries()) {
    const written = (fields[i] ?? '').trim();
    if (written === '') return wrong(`缺少${attribute.zh}`, `${attribute.en} is missing`);
    if ('number' in attribute.kind) {
      // As people type numbers (1,200, full-width digits), not as JavaScript reads them (0x10, 1e3, '' as 0).
      const reading = readNumber(written, false);
      const value = reading.kind === 'number' ? reading.value : Number.NaN;
      if (!Number.isFinite(value)) return wrong(`${attribute.zh}“${written}”不是数字`, `${attribute.en} ${written} is not a number`);
      facility[attribute.code] = value;
    } else {
      const lower = written.toLowerCase();
      const value = Object.entries(attribute.kind.oneOf).find(
        ([key, names]) => key.toLowerCase() === lower || names.zh === written || names.en.toLowerCase() === lower,
      )?.[0];
      const known = Object.entries(attribute.kind.oneOf)
        .map(([key, names]) => `${key} ${names.zh}`)
        .join(', ');
      if (!value) return wrong(`${attribute.zh}“${written}”不在（${known}）之中`, `${attribute.en} ${written} is not one of ${known}`);
      facility[attribute.code] = value;
    }
  }
  if (materialsText !== undefined) {
    const materials: string[] = [];
    for (const written of materialsText
      .split(/[,，、;；\s]+/)
      .map((m) => m.trim())
      .filter(Boolean)) {
      const lower = written.toLowerCase();
      const material = catalogue.materials.find((m) => m.code.toLowerCase() === lower || m.zh === written || m.en.toLowerCase() === lower);
      if (!material)
        return wrong(
          `${catalogue.zh}没有物料“${written}”（${catalogue.materials.map((m) => `${m.code} ${m.zh}`).join(', ') || '无'}）`,
          `${catalogue.en} has no material ${written} (known: ${catalogue.materials.map((m) => m.code).join(', ') || 'none'})`,
        );
      // Listed twice (`coke,焦炭`), a material's lines would be expected, checked and reported twice.
      if (materials.includes(material.code))
        return wrong(`物料“${written}”（${material.code}）填写了两次`, `material ${written} (${material.code}) is listed twice`);
      materials.push(material.code);
    }
    if (materials.length > 0) facility.materials = materials;
  }
  const checked = catalogue.facilitySchema.safeParse(facility);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const attribute = catalogue.attributes.find((a) => a.code === issue?.path[0]);
    return wrong(`${attribute?.zh ?? ''}不合规：${issue?.message ?? ''}`, `${attribute?.en ?? String(issue?.path[0] ?? '')}: ${issue?.message ?? ''}`);
  }
  return facility as Facility;
}

/** The row's facilities from its 机组 cell, each under one of the row's industries (see the file's comment), or the problem with one. */
function parseFacilities(text: string, obligations: readonly Obligation[]): Facility[] | RegistryProblemCell {
  const listed = obligations.map((o) => industryCatalogue(o.industry) as IndustryCatalogue);
  const problem = (part: string, reason: { zh: string; en: string }): RegistryProblemCell => ({
    column: 'units',
    message: `机组“${part}”：${reason.zh} / unit "${part}": ${reason.en}`,
  });
  const facilities: Facility[] = [];
  for (const part of text
    .normalize('NFKC')
    .split(/[;；]/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const bracket = /^(.*?)\s*[[【]([^\]】]*)[\]】]\s*$/.exec(part);
    const body = bracket ? (bracket[1] as string) : part;
    const materials = bracket ? (bracket[2] as string) : undefined;
    const slash = body.indexOf('/');
    const named = slash >= 0 ? body.slice(0, slash).trim() : undefined;
    const [unitId = '', ...fields] = (slash >= 0 ? body.slice(slash + 1) : body).split(':').map((f) => f.trim());
    let candidates = listed;
    if (named !== undefined) {
      const code = industryNamed(named);
      const catalogue = listed.find((c) => c.code === code);
      if (!catalogue)
        return problem(part, {
          zh: code ? `行业 ${code} 不在本行的行业（${listed.map((c) => c.zh).join('、')}）之中` : `未知的行业“${named}”`,
          en: code ? `industry ${code} is not one of the row's industries (${listed.map((c) => c.code).join(', ')})` : `unknown industry ${named}`,
        });
      candidates = [catalogue];
    }
    const results = candidates.map((c) => facilityUnder(c, unitId, fields, materials));
    const fits = results.filter((r): r is Facility => 'unitId' in r);
    let facility: Facility;
    if (candidates.length === 1) {
      const [only] = results;
      if (!only || !('unitId' in only)) return problem(part, only && !('unitId' in only) ? only : { zh: '无法识别', en: 'not readable' });
      facility = only;
    } else if (fits.length === 1) facility = fits[0] as Facility;
    else
      return problem(part, {
        zh: `本行有多个行业，请在机组前写明行业，如 ${candidates.map((c) => `${c.zh}/${FACILITY_EXAMPLES[c.code] ?? '…'}`).join('；')}`,
        en: `the row has several industries: name the facility's industry first, e.g. ${candidates.map((c) => `${c.code}/${FACILITY_EXAMPLES[c.code] ?? '…'}`).join('; ')}`,
      });
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(facility.unitId))
      return problem(part, { zh: '编号应为 1–32 个字母、数字、- 或 _', en: 'its id is 1-32 letters, digits, - or _' });
    if (facilities.some((f) => f.unitId === facility.unitId))
      return problem(part, { zh: `编号 ${facility.unitId} 重复`, en: `facility id ${facility.unitId} is used twice` });
    facilities.push(facility);
  }
  for (const catalogue of listed)
    if (!facilities.some((f) => f.industry === catalogue.code))
      return {
        column: 'units',
        message: `行业 ${catalogue.zh} 没有${catalogue.level.zh}（写作 ${facilityForm(catalogue).zh}）/ industry ${catalogue.code} has no facility (write ${facilityForm(catalogue).en})`,
      };
  return facilities;
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
  // Without a start month each industry starts at its catalogue's.
  const optional: readonly Column[] = ['obligedFrom', 'obligedUntil', 'industry', 'province', 'city', 'division', 'emails', 'webhook', 'language'];
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
    const industries = parseIndustries(value('industry'), value('obligedFrom'), value('obligedUntil'));
    if ('column' in industries) {
      problems.push({ line, ...industries });
      return;
    }
    const units = parseFacilities(value('units'), industries);
    if ('column' in units) {
      problems.push({ line, ...units });
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
      industries,
      units,
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        // A facility's or an obligation's issue is the 机组 or 行业 cell's.
        const [head] = issue.path.map(String);
        const column = head === 'units' ? 'units' : head === 'industries' || head === 'industry' ? 'industry' : issue.path.map(String).join('.');
        problems.push({ line, column, message: issue.message });
      }
      return;
    }
    const e = parsed.data;
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

/** The 行业 cell and the row's 应报起始月 / 应报截止月 as import reads them back: months written per industry only where they differ from the row's. */
function obligationCells(obligations: readonly Obligation[]): { industry: string; obligedFrom: string; obligedUntil: string } {
  const from = [...obligations.map((o) => o.obligedFrom)].sort()[0] ?? '';
  const untils = obligations.map((o) => o.obligedUntil);
  const until = untils.every((u): u is string => u !== undefined) ? ([...untils].sort().at(-1) ?? '') : '';
  const industry = obligations
    .map((o) => `${o.industry}${o.obligedFrom !== from ? `@${o.obligedFrom}` : ''}${(o.obligedUntil ?? '') !== until ? `~${o.obligedUntil}` : ''}`)
    .join(';');
  return { industry, obligedFrom: from, obligedUntil: until };
}

/** One facility as the 机组 cell writes it: `[industry/]id:attribute:…[materials]`, attributes in catalogue order. */
function facilityCell(facility: Readonly<Record<string, unknown>>, named: boolean): string {
  const industry = typeof facility.industry === 'string' && facility.industry !== '' ? facility.industry : 'power';
  const catalogue = industryCatalogue(industry);
  const attributes = (catalogue?.attributes ?? []).map((a) => cellOf(facility[a.code]));
  const materials = Array.isArray(facility.materials) && facility.materials.length > 0 ? `[${facility.materials.map(cellOf).join(',')}]` : '';
  return `${named ? `${industry}/` : ''}${[cellOf(facility.unitId), ...attributes].join(':')}${materials}`;
}

function rowOf(e: Enterprise): string[] {
  const obligations = obligationCells(obligationsOf(e));
  const several = obligationsOf(e).length > 1;
  return [
    e.enterpriseId,
    e.name,
    divisionLabel(e.province),
    divisionLabel(e.city),
    e.city,
    obligations.industry,
    e.units.map((u) => facilityCell({ ...u, industry: industryOf(u) }, several)).join(';'),
    obligations.obligedFrom,
    obligations.obligedUntil,
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

/** `units` as the sheet writes them (`1:coal:600;cement/L1:portland:5000`), from a list of facilities or that text. */
function unitsCell(units: unknown): string {
  if (!Array.isArray(units)) return cellOf(units);
  return units
    .map((u) => {
      const unit = (typeof u === 'object' && u !== null ? u : {}) as Record<string, unknown>;
      // A facility naming its industry keeps it; one without is power's (or the row's one industry's).
      return facilityCell(unit, typeof unit.industry === 'string' && unit.industry !== '');
    })
    .join(';');
}

/** `industries` as the 行业 cell writes them, each with its own months (`cement@2025-07~2026-12`); a legacy `industry` as written. */
function industriesCell(entry: Readonly<Record<string, unknown>>): string {
  if (!Array.isArray(entry.industries)) return cellOf(entry.industry);
  return entry.industries
    .map((o) => {
      const obligation = (typeof o === 'object' && o !== null ? o : {}) as Record<string, unknown>;
      const from = cellOf(obligation.obligedFrom);
      const until = cellOf(obligation.obligedUntil);
      return `${cellOf(obligation.industry)}${from ? `@${from}` : ''}${until ? `~${until}` : ''}`;
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
      if (column === 'industry') return industriesCell(e);
      // An entry listing its industries carries each one's months; the envelope's would be every industry's.
      if ((column === 'obligedFrom' || column === 'obligedUntil') && Array.isArray(e.industries)) return '';
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
