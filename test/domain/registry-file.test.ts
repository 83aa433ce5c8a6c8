/** Registry import/export files: all-or-nothing validation, lines named, round trips. */
import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar, type Enterprise } from '#domain/registry.ts';
import iconv from 'iconv-lite';
import { parseRegistryCsv, parseRegistryCsvBytes, parseRegistryXlsx, registryCsv, registryXlsx } from '#domain/registry-file.ts';

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
          units: [
            { unitId: '1', fuel: 'coal', capacityMW: 600 },
            { unitId: '2', fuel: 'coal', capacityMW: 350 },
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
        units: [{ unitId: '1', fuel: 'coal', capacityMW: 600 }],
        obligedFrom: '2023-01',
        obligedUntil: '2025-12',
      },
      {
        enterpriseId: code(2),
        name: '九江, "第二" 电厂',
        province: '360000',
        city: '360400',
        industry: 'power',
        units: [{ unitId: 'A', fuel: 'gas', capacityMW: 400 }],
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
