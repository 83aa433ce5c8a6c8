/** GB/T 2260 divisions: the table the registry keys places by, and reading spellings into codes. */
import { describe, expect, it } from 'vitest';
import { DIVISIONS } from '#domain/divisions.ts';
import {
  cityCodeOf,
  divisionLabel,
  divisionOfCreditCode,
  legacyScopesOf,
  PROVINCES,
  placeCodes,
  provinceCodeOf,
  resolveScope,
  scopeLabel,
} from '#domain/provinces.ts';
import { creditCodeCheckChar, EnterpriseSchema } from '#domain/registry.ts';

const citiesOf = (prefix: string) => Object.keys(DIVISIONS).filter((code) => code.startsWith(prefix) && !code.endsWith('0000'));

describe('the division table', () => {
  it('holds every provincial-level division, each a 2-digit prefix + 0000 with its standard name', () => {
    expect(PROVINCES).toHaveLength(35);
    for (const code of PROVINCES) expect(code).toMatch(/^\d{2}0000$/);
    expect(PROVINCES.map((c) => DIVISIONS[c])).toEqual(
      expect.arrayContaining(['江西省', '山东省', '广西壮族自治区', '北京市', '新疆维吾尔自治区', '新疆生产建设兵团']),
    );
  });

  it('reads every standard name in it back as its own code', () => {
    const grouping = ['419000', '429000', '469000', '500200', '659000'];
    for (const [code, name] of Object.entries(DIVISIONS).filter(([c]) => !grouping.includes(c)))
      expect(code.endsWith('0000') ? provinceCodeOf(name) : cityCodeOf(name), name).toBe(code);
  });

  it('holds the cities of the provinces the market reports on: 江西 11, 山东 16, 广西 14', () => {
    expect(citiesOf('36').map((c) => DIVISIONS[c])).toEqual([
      '南昌市',
      '景德镇市',
      '萍乡市',
      '九江市',
      '新余市',
      '鹰潭市',
      '赣州市',
      '吉安市',
      '宜春市',
      '抚州市',
      '上饶市',
    ]);
    expect(citiesOf('37')).toHaveLength(16);
    expect(citiesOf('45')).toHaveLength(14);
    expect(DIVISIONS['450100']).toBe('南宁市');
  });
});

describe('reading a spelling into a code', () => {
  it('reads the common spellings of a city as one code', () => {
    for (const spelling of ['南昌', '南昌市', '南昌市生态环境局', '江西省南昌市', '江西南昌', '360100', '360102', ' 南昌市 '])
      expect(cityCodeOf(spelling), spelling).toBe('360100');
  });

  it('reads provinces written short, in full, as a department or as a code', () => {
    for (const spelling of ['江西', '江西省', '江西省生态环境厅', '360000', '361100']) expect(provinceCodeOf(spelling), spelling).toBe('360000');
    expect(provinceCodeOf('广西')).toBe('450000');
    expect(provinceCodeOf('广西壮族自治区')).toBe('450000');
    expect(provinceCodeOf('内蒙古')).toBe('150000');
    expect(provinceCodeOf('新疆兵团')).toBe('660000');
    expect(provinceCodeOf('新疆')).toBe('650000');
  });

  it('tells a province from a city of the same name, and a municipality from its city', () => {
    expect(provinceCodeOf('吉林')).toBe('220000');
    expect(cityCodeOf('吉林')).toBe('220200');
    expect(provinceCodeOf('北京')).toBe('110000');
    expect(cityCodeOf('北京')).toBe('110100');
  });

  it('reads autonomous prefectures, leagues and prefectures by their short names', () => {
    expect(cityCodeOf('恩施')).toBe('422800');
    expect(cityCodeOf('恩施土家族苗族自治州')).toBe('422800');
    expect(cityCodeOf('兴安盟')).toBe('152200');
    expect(cityCodeOf('喀什')).toBe('653100');
  });

  it('finds a city only in the province given, and nothing for what names no city', () => {
    expect(cityCodeOf('南昌', '360000')).toBe('360100');
    expect(cityCodeOf('南昌', '370000')).toBeUndefined();
    expect(cityCodeOf('山东省南昌市')).toBeUndefined();
    expect(cityCodeOf('南仓')).toBeUndefined();
    expect(cityCodeOf('江西')).toBeUndefined();
    expect(cityCodeOf('999999')).toBeUndefined();
    expect(provinceCodeOf('火星')).toBeUndefined();
  });

  it('reads the registering division from a credit code’s characters 3–8', () => {
    const first17 = '91360402MA35ABCD1';
    expect(divisionOfCreditCode(first17 + creditCodeCheckChar(first17))).toEqual({ province: '360000', city: '360400' });
    expect(divisionOfCreditCode('short')).toEqual({});
  });
});

describe('scopes and labels', () => {
  it('resolves a scope written with a name and says which place is unknown', () => {
    expect(resolveScope('city:南昌市')).toEqual({ scope: 'city:360100' });
    expect(resolveScope('province:江西')).toEqual({ scope: 'province:360000' });
    expect(resolveScope('industry:steel')).toEqual({ scope: 'industry:steel' });
    expect(resolveScope('city:南仓')).toEqual({ message: '未知的城市 / unknown city: 南仓' });
  });

  it('shows standard names for codes and keeps what names no division as written', () => {
    expect(divisionLabel('360100')).toBe('南昌市');
    expect(divisionLabel('赣江新区')).toBe('赣江新区');
    expect(scopeLabel('city:360100')).toBe('南昌市');
    expect(scopeLabel('province:450000')).toBe('广西壮族自治区');
    expect(scopeLabel('industry:power')).toBe('power');
  });

  it('names the scopes a code was stored under before codes', () => {
    expect(legacyScopesOf('city:360100')).toEqual(['city:南昌市', 'city:南昌']);
    expect(legacyScopesOf('province:450000')).toEqual(['province:广西壮族自治区', 'province:广西']);
    expect(legacyScopesOf('industry:power')).toEqual([]);
  });
});

describe('old registry records written with names', () => {
  it('read as codes, and a place that names no division stays as written', () => {
    const first17 = '91360100MA35ABCD1';
    const old = {
      enterpriseId: first17 + creditCodeCheckChar(first17),
      name: '甲',
      province: '江西',
      city: '南昌',
      units: [{ unitId: '1', fuel: 'coal', capacityMW: 600 }],
      obligedFrom: '2023-01',
    };
    expect(EnterpriseSchema.parse(old)).toMatchObject({ province: '360000', city: '360100', industry: 'power' });
    expect(EnterpriseSchema.parse({ ...old, city: '赣江新区' })).toMatchObject({ province: '360000', city: '赣江新区' });
    expect(placeCodes({ province: '江西省', city: '南昌市' })).toEqual({ province: '360000', city: '360100' });
  });
});
