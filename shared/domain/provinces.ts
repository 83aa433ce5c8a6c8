/**
 * Provinces and cities as the registry keys them: GB/T 2260 division codes (`360000` 江西省,
 * `360100` 南昌市), whatever spelling a department wrote (南昌, 南昌市, 南昌市生态环境局,
 * 江西省南昌市, 360102). Names are for people: they are looked up from the code when shown.
 * A spelling that names no division resolves to undefined; the caller decides whether that is a
 * refusal (import, a scope asked for) or a value kept as written (an old stored record).
 */
import { DIVISIONS, GROUPING_DIVISIONS } from './divisions.ts';
import { INDUSTRIES, INDUSTRY_CODES } from './industries/index.ts';

const isProvinceCode = (code: string) => /^\d{2}0000$/.test(code) && code in DIVISIONS;
const isCityCode = (code: string) => /^\d{6}$/.test(code) && !code.endsWith('0000') && code in DIVISIONS;

/** Every provincial-level division code, GB/T 2260 order. */
export const PROVINCES: readonly string[] = Object.keys(DIVISIONS).filter(isProvinceCode).sort();

const ETHNIC_GROUPS = '(?:蒙古|回|藏|苗|彝|壮|布依|朝鲜|侗|白|土家|哈尼|哈萨克|傣|傈僳|景颇|柯尔克孜|羌)族';
/** What a short spelling leaves off: 江西省 → 江西, 恩施土家族苗族自治州 → 恩施, 兴安盟 → 兴安. */
const DIVISION_SUFFIX = new RegExp(`(?:省|市|地区|盟|林区|特别行政区|(?:维吾尔|(?:${ETHNIC_GROUPS})*)自治(?:州|区))$`);
/** A department or government named for its place: 南昌市生态环境局 → 南昌市. */
const AGENCY_SUFFIX = /(?:生态环境(?:局|厅)|环境保护(?:局|厅)|环保(?:局|厅)|人民政府|政府)$/;
/** Spellings the suffix rule cannot give (the Corps shares 新疆 with the autonomous region). */
const EXTRA_SPELLINGS: Readonly<Record<string, readonly string[]>> = { '660000': ['新疆兵团', '兵团'] };

function spellingsOf(code: string, name: string): string[] {
  const extra = EXTRA_SPELLINGS[code];
  if (extra) return [name, ...extra];
  const short = name.replace(DIVISION_SUFFIX, '');
  return short.length >= 2 && short !== name ? [name, short] : [name];
}

function indexOf(codes: readonly string[]): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const code of codes) {
    if (GROUPING_DIVISIONS.includes(code)) continue;
    for (const spelling of spellingsOf(code, DIVISIONS[code] as string)) index.set(spelling, [...(index.get(spelling) ?? []), code]);
  }
  return index;
}

const PROVINCE_BY_SPELLING = indexOf(PROVINCES);
const CITY_BY_SPELLING = indexOf(Object.keys(DIVISIONS).filter(isCityCode));
/** Longest first, so 内蒙古自治区呼和浩特市 strips the whole province name. */
const PROVINCE_SPELLINGS = [...PROVINCE_BY_SPELLING.keys()].sort((a, b) => b.length - a.length);

function cleaned(written: string): string {
  return written.normalize('NFKC').replace(/\s+/g, '').replace(AGENCY_SUFFIX, '');
}

/** The province code of a province spelling or of any division code in it, or undefined. */
export function provinceCodeOf(written: string): string | undefined {
  if (isProvinceCode(written)) return written;
  const text = cleaned(written);
  if (/^\d{6}$/.test(text)) {
    const code = `${text.slice(0, 2)}0000`;
    return isProvinceCode(code) ? code : undefined;
  }
  return PROVINCE_BY_SPELLING.get(text)?.[0];
}

/**
 * The city code of a city spelling (within `province` when given), of a county's code (360102 →
 * 360100) or of `江西省南昌市`, or undefined when it names no city or more than one.
 */
export function cityCodeOf(written: string, province?: string): string | undefined {
  if (isCityCode(written) && (province === undefined || inProvince(written, province))) return written;
  const text = cleaned(written);
  if (/^\d{6}$/.test(text)) {
    const county = `${text.slice(0, 4)}00`;
    const code = isCityCode(text) ? text : isCityCode(county) && !GROUPING_DIVISIONS.includes(county) ? county : undefined;
    return code && (province === undefined || inProvince(code, province)) ? code : undefined;
  }
  const matches = (CITY_BY_SPELLING.get(text) ?? []).filter((code) => province === undefined || inProvince(code, province));
  if (matches.length === 1) return matches[0];
  const prefix = PROVINCE_SPELLINGS.find((p) => text.startsWith(p) && text.length > p.length);
  if (matches.length === 0 && prefix) {
    const stated = PROVINCE_BY_SPELLING.get(prefix)?.[0] as string;
    if (province === undefined || stated === province) return cityCodeOf(text.slice(prefix.length), stated);
  }
  return undefined;
}

/** Whether the city lies in the province (the Corps' cities carry Xinjiang's 65 prefix). */
export function inProvince(city: string, province: string): boolean {
  return city.slice(0, 2) === province.slice(0, 2) || (province === '660000' && city.startsWith('65'));
}

/** The province a city code lies in. */
export function provinceOfCity(city: string): string {
  return `${city.slice(0, 2)}0000`;
}

/** The standard name of a division code, or undefined. */
export function divisionName(code: string): string | undefined {
  return DIVISIONS[code];
}

/** What to show for a stored province or city: its standard name, or the text as it was written. */
export function divisionLabel(codeOrText: string): string {
  return DIVISIONS[codeOrText] ?? codeOrText;
}

/** The registering division of an 18-character credit code (characters 3–8), as far as it is known. */
export function divisionOfCreditCode(enterpriseId: string): { readonly province?: string; readonly city?: string } {
  if (enterpriseId.length !== 18) return {};
  const code = enterpriseId.slice(2, 8);
  const city = cityCodeOf(code);
  const province = city ? provinceOfCity(city) : provinceCodeOf(code);
  return { ...(province ? { province } : {}), ...(city ? { city } : {}) };
}

/** Other names clerks and departments write for an industry, beside its code and its catalogue's names. */
const INDUSTRY_ALIASES: Readonly<Record<string, string>> = {
  电力: 'power',
  发电行业: 'power',
  发电设施: 'power',
  火电: 'power',
  水泥: 'cement',
  水泥熟料生产: 'cement',
  水泥行业: 'cement',
  熟料: 'cement',
  铝: 'aluminium',
  电解铝: 'aluminium',
  铝冶炼行业: 'aluminium',
  aluminum: 'aluminium',
  钢铁行业: 'steel',
  钢铁生产: 'steel',
};

/**
 * An industry's code however it is written: its code (`cement`), its catalogue's Chinese or
 * English name (水泥熟料, cement clinker) or a common short name (水泥, 电解铝); undefined for
 * a name no catalogue has.
 */
export function industryCodeOf(written: string): string | undefined {
  const text = written.normalize('NFKC').trim();
  const lower = text.toLowerCase();
  if (INDUSTRY_CODES.includes(lower)) return lower;
  const named = INDUSTRIES.find((i) => i.zh === text || i.en.toLowerCase() === lower);
  // Own keys only: `__proto__` or `constructor` must name no industry, not the object's prototype.
  const alias = (key: string) => (Object.hasOwn(INDUSTRY_ALIASES, key) ? INDUSTRY_ALIASES[key] : undefined);
  return named?.code ?? alias(text) ?? alias(lower);
}

/** The separator of a place scope narrowed to one industry: `province:360000|industry:cement`. */
export const SCOPE_JOIN = '|';

/**
 * A `province:<spelling>`, `city:<spelling>` or `industry:<code or name>` scope with its code
 * (`city:南昌` → `city:360100`, `industry:水泥熟料` → `industry:cement`), or the message saying
 * which province, city or industry is unknown. A place narrowed to an industry
 * (`city:南昌|industry:水泥`) resolves part by part, place first. Other scopes pass through
 * unchanged.
 */
export function resolveScope(scope: string): { readonly scope: string } | { readonly message: string } {
  if (scope.includes(SCOPE_JOIN)) {
    const parts = scope.split(SCOPE_JOIN).map((part) => resolveScope(part.trim()));
    const bad = parts.find((p) => 'message' in p);
    if (bad) return bad;
    const resolved = parts.map((p) => (p as { scope: string }).scope);
    const place = resolved.filter((p) => /^(province|city):/.test(p));
    const industry = resolved.filter((p) => p.startsWith('industry:'));
    if (place.length !== 1 || industry.length !== 1 || resolved.length !== 2)
      return { message: `范围只能是一个省或市加一个行业 / a narrowed scope is one province or city and one industry: ${scope}` };
    return { scope: `${place[0]}${SCOPE_JOIN}${industry[0]}` };
  }
  const match = /^(province|city|industry):(.+)$/.exec(scope);
  if (!match) return { scope };
  const [, kind, written] = match as unknown as [string, 'province' | 'city' | 'industry', string];
  if (kind === 'industry') {
    const code = industryCodeOf(written);
    return code
      ? { scope: `industry:${code}` }
      : { message: `未知的行业 / unknown industry: ${written} (${INDUSTRIES.map((i) => `${i.code} ${i.zh}`).join(', ')})` };
  }
  if (kind === 'province') {
    const code = provinceCodeOf(written);
    return code ? { scope: `province:${code}` } : { message: `未知的省份 / unknown province: ${written}` };
  }
  const code = cityCodeOf(written);
  return code ? { scope: `city:${code}` } : { message: `未知的城市 / unknown city: ${written}` };
}

/** A place scope narrowed to an industry (`city:360100`, `cement` → `city:360100|industry:cement`); the place alone without one. */
export function narrowedScope(place: string, industry: string | undefined): string {
  return industry === undefined ? place : `${place}${SCOPE_JOIN}industry:${industry}`;
}

/** resolveScope, keeping an unknown spelling as written (for rules and records stored long ago). */
export function scopeKey(scope: string): string {
  const resolved = resolveScope(scope);
  return 'scope' in resolved ? resolved.scope : scope;
}

/** A place's province and city as codes where they resolve, else as written (old records). */
export function placeCodes(place: { readonly province: string; readonly city: string }): { readonly province: string; readonly city: string } {
  if (isCityCode(place.city) && isProvinceCode(place.province)) return place;
  const province = provinceCodeOf(place.province);
  const city = cityCodeOf(place.city, province);
  return {
    province: city ? (province && inProvince(city, province) ? province : provinceOfCity(city)) : (province ?? place.province),
    city: city ?? place.city,
  };
}

/** A scope as people read it: `city:360100` → 南昌市, `all` → 全部 all, `industry:power` → power. */
export function scopeLabel(scope: string): string {
  if (scope === 'all') return '全部 all';
  if (scope.includes(SCOPE_JOIN))
    return scope
      .split(SCOPE_JOIN)
      .map((part) => scopeLabel(part))
      .join(' · ');
  const value = scope.slice(scope.indexOf(':') + 1);
  return scope.startsWith('province:') || scope.startsWith('city:') ? divisionLabel(value) : value;
}

/** The name scopes a code scope was stored under before codes (`city:360100` → city:南昌市, city:南昌). */
export function legacyScopesOf(scope: string): string[] {
  const match = /^(province|city):(\d{6})$/.exec(scope);
  const name = match ? DIVISIONS[match[2] as string] : undefined;
  if (!match || !name) return [];
  return spellingsOf(match[2] as string, name).map((spelling) => `${match[1]}:${spelling}`);
}
