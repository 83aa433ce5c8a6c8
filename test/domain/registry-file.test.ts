/** Registry import/export files: all-or-nothing validation, lines named, round trips. */
import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar, type Enterprise } from '#domain/registry.ts';
import iconv from 'iconv-lite';
import { parseRegistryCsv, parseRegistryCsvBytes, parseRegistryEntries, parseRegistryXlsx, registryCsv, registryXlsx } from '#domain/registry-file.ts';

const code = (n: number) => {
  const first17 = `91360100${String(n).padStart(9, '0')}`;
  return first17 + creditCodeCheckChar(first17);
};

const HEADER = '统一社会信用代码,名称,省份,城市,行业,机组,起始月份,截止月份';

describe('registry import', () => {
  it('reads Chinese headers, full province names and units', () => {
    const parsed = parseRegistryCsv(`${HEADER}\n${code(1)},南昌发电,江西省,南昌,power,1:coal:600;2:coal:350,2023-01,\n`);
    expect(parsed).toEqual({
      ok: true,
      enterprises: [
        expect.objectContaining({
          enterpriseId: code(1),
          province: '360000',
          city: '360100',
          industries: [{ industry: 'power', obligedFrom: '2023-01' }],
          units: [
            { unitId: '1', industry: 'power', fuel: 'coal', capacityMW: 600 },
            { unitId: '2', industry: 'power', fuel: 'coal', capacityMW: 350 },
          ],
          obligedFrom: '2023-01',
        }),
      ],
    });
  });

  it('names every bad line and imports nothing', () => {
    const bad = `${code(2).slice(0, 17)}X`;
    const parsed = parseRegistryCsv(
      `${HEADER}\n${code(1)},甲,江西,南昌,power,1:coal:600,2023-01,\n${bad},乙,江西,南昌,power,1:coal:600,2023-01,\n${code(3)},丙,火星,南昌,power,1:coal:600,2023-01,\n${code(1)},丁,江西,南昌,power,1:coal,2023-01,\n`,
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => [p.line, p.column])).toEqual([
      [3, 'enterpriseId'],
      [4, 'province'],
      [5, 'units'],
    ]);
  });

  it('refuses a duplicate credit code, naming the first line', () => {
    const row = `${code(1)},甲,江西,南昌,power,1:coal:600,2023-01,`;
    const parsed = parseRegistryCsv(`${HEADER}\n${row}\n${row}\n`);
    expect(parsed).toEqual({
      ok: false,
      problems: [
        {
          line: 3,
          column: 'enterpriseId',
          message: `${code(1)} is already on line 2`,
        },
      ],
    });
  });

  it('round-trips through CSV and XLSX, with formula-like names kept intact but inert', async () => {
    const enterprises: Enterprise[] = [
      {
        enterpriseId: code(1),
        name: '=SUM(A1)电厂',
        province: '360000',
        city: '360100',
        industry: 'power',
        industries: [{ industry: 'power', obligedFrom: '2023-01', obligedUntil: '2025-12' }],
        units: [{ unitId: '1', industry: 'power', fuel: 'coal', capacityMW: 600 }],
        obligedFrom: '2023-01',
        obligedUntil: '2025-12',
      },
      {
        enterpriseId: code(2),
        name: '九江, "第二" 电厂',
        province: '360000',
        city: '360400',
        industry: 'power',
        industries: [{ industry: 'power', obligedFrom: '2024-06' }],
        units: [{ unitId: 'A', industry: 'power', fuel: 'gas', capacityMW: 400 }],
        obligedFrom: '2024-06',
      },
    ];
    const csv = registryCsv(enterprises);
    expect(csv).toContain("'=SUM(A1)电厂");
    // People read standard names; the division code beside them is what import keys by.
    expect(csv).toContain('江西省,南昌市,360100');
    expect(parseRegistryCsv(csv)).toEqual({ ok: true, enterprises });
    expect(await parseRegistryXlsx(await registryXlsx(enterprises))).toEqual({
      ok: true,
      enterprises,
    });
  });
});

/** The header an Excel sheet kept by a provincial department has (its own words, its own order). */
const EXCEL_HEADER = '序号,企业名称,统一社会信用代码,所属省份,所在城市,行政区划代码,行业,机组,应报起始月,应报截止月';

describe('registry import of what departments really keep', () => {
  it('reads a GB18030 CSV as Excel on Chinese Windows saves it, with the department’s header names', async () => {
    const text = `${EXCEL_HEADER}\r\n1,南昌第一发电有限公司,${code(1)},江西省,南昌市,360100,power,1:coal:600,2023-01,\r\n2,九江发电,${code(2)},江西,九江,,power,1:coal:300,2023-01,2025-12\r\n`;
    const bytes = new Uint8Array(iconv.encode(text, 'gb18030'));
    expect(Buffer.from(bytes).toString('utf8')).not.toContain('南昌');

    const parsed = await parseRegistryCsvBytes(bytes);

    expect(parsed).toEqual({
      ok: true,
      enterprises: [
        expect.objectContaining({ enterpriseId: code(1), name: '南昌第一发电有限公司', province: '360000', city: '360100', obligedFrom: '2023-01' }),
        expect.objectContaining({ enterpriseId: code(2), name: '九江发电', province: '360000', city: '360400', obligedUntil: '2025-12' }),
      ],
    });
  });

  it('reads UTF-8 with a BOM through the same door', async () => {
    const parsed = await parseRegistryCsvBytes(new TextEncoder().encode(`\uFEFF${EXCEL_HEADER}\n1,甲,${code(1)},江西省,南昌,,power,1:coal:600,2023-01,\n`));
    expect(parsed.ok && parsed.enterprises[0]?.city).toBe('360100');
  });

  it('keys every common spelling of one city by its division code', () => {
    const spellings = ['南昌', '南昌市', '南昌市生态环境局', '江西省南昌市', ' 南昌 市 '];
    const rows = spellings.map((city, i) => `${code(i + 1)},企业${i},江西,${city},power,1:coal:600,2023-01,`);
    const parsed = parseRegistryCsv(`${HEADER}\n${rows.join('\n')}\n`);
    expect(parsed.ok && parsed.enterprises.map((e) => [e.province, e.city])).toEqual(spellings.map(() => ['360000', '360100']));
  });

  it('takes the place from the division code alone, or from the credit code when no place is written', () => {
    const parsed = parseRegistryCsv(
      `统一社会信用代码,企业名称,行政区划代码,所在城市,机组,应报起始月\n${code(1)},甲,360402,,1:coal:600,2023-01\n${code(2)},乙,,,1:coal:600,2023-01\n`,
    );
    // 360402 is a district of 九江; code(2) was registered in 360100 (characters 3–8).
    expect(parsed.ok && parsed.enterprises.map((e) => [e.province, e.city])).toEqual([
      ['360000', '360400'],
      ['360000', '360100'],
    ]);
  });

  it('names each row whose place is no division, or contradicts itself, and imports nothing', () => {
    const header = '统一社会信用代码,企业名称,所属省份,所在城市,行政区划代码,机组,应报起始月';
    const parsed = parseRegistryCsv(
      [
        header,
        `${code(1)},好,江西,南昌,,1:coal:600,2023-01`,
        `${code(2)},未知城市,江西,南仓,,1:coal:600,2023-01`,
        `${code(3)},错省,山东,南昌,,1:coal:600,2023-01`,
        `${code(4)},不符,江西,南昌,360400,1:coal:600,2023-01`,
        `${code(5)},坏代码,江西,,999999,1:coal:600,2023-01`,
        `${code(6)},火星,火星,南昌,,1:coal:600,2023-01`,
      ].join('\n'),
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => [p.line, p.column])).toEqual([
      [3, 'city'],
      [4, 'city'],
      [5, 'city'],
      [6, 'division'],
      [7, 'province'],
    ]);
    expect(parsed.problems[0]?.message).toContain('南仓');
    expect(parsed.problems[1]?.message).toContain('no city 南昌 in 山东省');
  });

  it('reports bytes that are neither UTF-8 nor GB18030 on line 1', async () => {
    const parsed = await parseRegistryCsvBytes(new Uint8Array([0x80, 0xff, 0x80, 0xff]));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problems[0]?.line).toBe(1);
  });
});

describe('registry import and export of industries and facilities', () => {
  const ZH = '统一社会信用代码,企业名称,所在城市,行业,机组,应报起始月,应报截止月';

  it('reads industries by Chinese name, each with its own start, and facilities per catalogue', () => {
    const parsed = parseRegistryCsv(
      `${ZH}\n${code(1)},赣州水泥,赣州,水泥熟料,"L1:portland:5000[kilnCoal,carbideSlag];L2:通用硅酸盐水泥熟料:2500[入窑煤]",,\n${code(2)},自备电厂水泥,南昌,发电;水泥熟料@2025-01,"1:coal:600;水泥熟料/L1:white:3000",2023-01,\n`,
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const [cementOnly, both] = parsed.enterprises;
    // No start month written: the catalogue's (cement deposits monthly from 2025-07).
    expect(cementOnly).toMatchObject({
      industry: 'cement',
      industries: [{ industry: 'cement', obligedFrom: '2025-07' }],
      obligedFrom: '2025-07',
      units: [
        { unitId: 'L1', industry: 'cement', clinkerType: 'portland', designCapacityTpd: 5000, materials: ['kilnCoal', 'carbideSlag'] },
        { unitId: 'L2', industry: 'cement', clinkerType: 'portland', designCapacityTpd: 2500, materials: ['kilnCoal'] },
      ],
    });
    expect(both).toMatchObject({
      industry: 'power',
      industries: [
        { industry: 'power', obligedFrom: '2023-01' },
        { industry: 'cement', obligedFrom: '2025-01' },
      ],
      units: [
        { unitId: '1', industry: 'power', fuel: 'coal', capacityMW: 600 },
        { unitId: 'L1', industry: 'cement', clinkerType: 'white', designCapacityTpd: 3000 },
      ],
    });
  });

  it('reads a facility without its industry when its form fits exactly one of the row’s', () => {
    const parsed = parseRegistryCsv(`${ZH}\n${code(1)},钢铁联合,南昌,钢铁;铝冶炼,"BF1:ironmaking[coke,bfg];S1:500:300",2025-07,\n`);
    expect(parsed.ok && parsed.enterprises[0]?.units).toEqual([
      { unitId: 'BF1', industry: 'steel', process: 'ironmaking', materials: ['coke', 'bfg'] },
      { unitId: 'S1', industry: 'aluminium', currentKA: 500, cells: 300 },
    ]);
  });

  it('imports an old sheet without the 行业 column as power', () => {
    const parsed = parseRegistryCsv(`统一社会信用代码,企业名称,所在城市,机组,应报起始月\n${code(1)},甲,南昌,1:coal:600,2023-01\n`);
    expect(parsed.ok && parsed.enterprises[0]).toMatchObject({ industry: 'power', industries: [{ industry: 'power', obligedFrom: '2023-01' }] });
  });

  it('names the line and column of each bad industry or facility, in both languages, and imports nothing', () => {
    const rows = [
      `${code(1)},好,南昌,cement,L1:portland:5000,,`,
      `${code(2)},化工,南昌,化工,L1:portland:5000,,`,
      `${code(3)},坏月份,南昌,cement@2025-7,L1:portland:5000,,`,
      `${code(4)},坏类别,南昌,cement,L1:purple:5000,,`,
      `${code(5)},坏物料,南昌,cement,L1:portland:5000[coke],,`,
      `${code(6)},缺设施,南昌,power;cement,1:coal:600,2023-01,`,
      `${code(7)},不明,南昌,power;steel,X1:5:6,2023-01,`,
      `${code(8)},反了,南昌,cement@2026-01~2025-12,L1:portland:5000,,`,
      `${code(9)},别的行业,南昌,cement,steel/BF1:ironmaking,,`,
      `${code(10)},槽数,南昌,aluminium,S1:500:300.5,,`,
    ];
    const parsed = parseRegistryCsv(`${ZH}\n${rows.join('\n')}\n`);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => [p.line, p.column])).toEqual([
      [3, 'industry'],
      [4, 'industry'],
      [5, 'units'],
      [6, 'units'],
      [7, 'units'],
      [8, 'units'],
      [9, 'industry'],
      [10, 'units'],
      [11, 'units'],
    ]);
    const message = (line: number) => parsed.problems.find((p) => p.line === line)?.message ?? '';
    expect(message(3)).toContain('未知的行业“化工”');
    expect(message(3)).toContain('unknown industry 化工');
    expect(message(5)).toMatch(/熟料类别“purple”.* \/ unit "L1:purple:5000": clinker type purple is not one of/);
    expect(message(5)).toContain('unitId:clinkerType:designCapacityTpd[material,…]');
    expect(message(6)).toContain('no material coke');
    expect(message(7)).toContain('industry cement has no facility');
    expect(message(8)).toContain("name the facility's industry first");
    expect(message(10)).toContain("industry steel is not one of the row's industries (cement)");
  });

  it('round-trips an enterprise with two industries through CSV (Chinese headers), XLSX and JSON entries', async () => {
    const enterprises: Enterprise[] = [
      {
        enterpriseId: code(1),
        name: '南昌电厂水泥',
        province: '360000',
        city: '360100',
        industry: 'power',
        industries: [
          { industry: 'power', obligedFrom: '2023-01' },
          { industry: 'cement', obligedFrom: '2025-01', obligedUntil: '2026-12' },
        ],
        units: [
          { unitId: '1', industry: 'power', fuel: 'coal', capacityMW: 600 },
          { unitId: 'L1', industry: 'cement', clinkerType: 'portland', designCapacityTpd: 5000, materials: ['kilnCoal', 'carbideSlag'] },
        ],
        obligedFrom: '2023-01',
      },
      {
        enterpriseId: code(2),
        name: '九江铝钢',
        province: '360000',
        city: '360400',
        industry: 'aluminium',
        industries: [
          { industry: 'aluminium', obligedFrom: '2025-07', obligedUntil: '2027-06' },
          { industry: 'steel', obligedFrom: '2025-07', obligedUntil: '2027-06' },
        ],
        units: [
          { unitId: 'S1', industry: 'aluminium', currentKA: 500, cells: 300, materials: ['naturalGas'] },
          { unitId: 'BF1', industry: 'steel', process: 'ironmaking', materials: ['coke', 'bfg'] },
        ],
        obligedFrom: '2025-07',
        obligedUntil: '2027-06',
      },
    ];
    const csv = registryCsv(enterprises, { headers: 'zh' });
    // Each industry's months are written where they differ from the row's; each facility names its industry.
    expect(csv).toContain('power;cement@2025-01~2026-12,"power/1:coal:600;cement/L1:portland:5000[kilnCoal,carbideSlag]",2023-01,');
    expect(csv).toContain('aluminium;steel,"aluminium/S1:500:300[naturalGas];steel/BF1:ironmaking[coke,bfg]",2025-07,2027-06');
    expect(parseRegistryCsv(csv)).toEqual({ ok: true, enterprises });
    expect(await parseRegistryXlsx(await registryXlsx(enterprises))).toEqual({ ok: true, enterprises });
    expect(parseRegistryEntries(enterprises)).toEqual({ ok: true, enterprises });
  });
});
