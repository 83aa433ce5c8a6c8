/** Registry import/export files: all-or-nothing validation, lines named, round trips. */
import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar, type Enterprise } from '#domain/registry.ts';
import { parseRegistryCsv, parseRegistryXlsx, registryCsv, registryXlsx } from '#domain/registry-file.ts';

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
          province: '江西',
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
        province: '江西',
        city: '南昌',
        industry: 'power',
        units: [{ unitId: '1', fuel: 'coal', capacityMW: 600 }],
        obligedFrom: '2023-01',
        obligedUntil: '2025-12',
      },
      {
        enterpriseId: code(2),
        name: '九江, "第二" 电厂',
        province: '江西',
        city: '九江',
        industry: 'power',
        units: [{ unitId: 'A', fuel: 'gas', capacityMW: 400 }],
        obligedFrom: '2024-06',
      },
    ];
    const csv = registryCsv(enterprises);
    expect(csv).toContain("'=SUM(A1)电厂");
    expect(parseRegistryCsv(csv)).toEqual({ ok: true, enterprises });
    expect(await parseRegistryXlsx(await registryXlsx(enterprises))).toEqual({
      ok: true,
      enterprises,
    });
  });
});
