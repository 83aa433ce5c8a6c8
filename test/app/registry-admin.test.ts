/**
 * The registry over the API on a fake store: read as JSON or as the CSV the import reads (Chinese
 * headers), loaded all or nothing with every bad row named, unchanged rows not rewritten, and
 * nothing for anyone but an administrator.
 */
import { describe, expect, it } from 'vitest';
import type { RegistryStore } from '#app/ports.ts';
import { loadRegistry, registryFor } from '#app/registry-admin.ts';
import type { Principal } from '#domain/identity.ts';
import { parseRegistryCsv } from '#domain/registry-file.ts';
import { creditCodeCheckChar, type Enterprise } from '#domain/registry.ts';

const admin: Principal = { role: 'administrator', subject: 'admin', name: '登记管理员' };
const department: Principal = { role: 'department', subject: 'd', name: 'd', jurisdiction: { kind: 'province', code: '360000' } };

function enterprise(n: number, province = '360000', city = '360100'): Enterprise {
  const first17 = `91${city}${String(n).padStart(9, '0')}`;
  return {
    enterpriseId: first17 + creditCodeCheckChar(first17),
    name: `企业${n}`,
    province,
    city,
    industry: 'power',
    industries: [{ industry: 'power', obligedFrom: '2025-01' }],
    units: [{ unitId: '1', industry: 'power', fuel: 'coal', capacityMW: 600 }],
    obligedFrom: '2025-01',
  };
}

function store(initial: Enterprise[] = []): RegistryStore & { entries: Map<string, Enterprise>; writes: Enterprise[][] } {
  const entries = new Map(initial.map((e) => [e.enterpriseId, e]));
  const writes: Enterprise[][] = [];
  return {
    entries,
    writes,
    get: async (id) => entries.get(id),
    list: async (provinces) => [...entries.values()].filter((e) => !provinces || provinces.includes(e.province)),
    putAll: async (list) => {
      writes.push([...list]);
      for (const e of list) entries.set(e.enterpriseId, e);
    },
  };
}

describe('reading the registry', () => {
  it('answers one province’s entries with their places named', async () => {
    const registry = store([enterprise(1), enterprise(2, '440000', '440100')]);

    const outcome = await registryFor({ registry }, admin, { province: '江西', format: 'json' });

    expect(outcome).toMatchObject({ ok: true, value: { format: 'json', province: '360000', count: 1, enterprises: [{ name: '企业1', cityName: '南昌市' }] } });
  });

  it('writes CSV with the Chinese headers, which the import reads back as the same entries', async () => {
    const entries: Enterprise[] = [
      enterprise(1),
      { ...enterprise(2, '360000', '360400'), industries: [{ industry: 'power', obligedFrom: '2025-01', obligedUntil: '2026-06' }], obligedUntil: '2026-06' },
      {
        ...enterprise(3),
        industries: [
          { industry: 'power', obligedFrom: '2025-01' },
          { industry: 'steel', obligedFrom: '2025-07' },
        ],
        units: [
          { unitId: '1', industry: 'power', fuel: 'coal', capacityMW: 600 },
          { unitId: 'BOF1', industry: 'steel', process: 'bof', materials: ['scrap'] },
        ],
      },
    ];

    const outcome = await registryFor({ registry: store(entries) }, admin, { format: 'csv' });

    expect(outcome.ok).toBe(true);
    if (!outcome.ok || outcome.value.format !== 'csv') return;
    expect(outcome.value.csv.split('\r\n')[0]).toBe(
      '\uFEFF统一社会信用代码,企业名称,所属省份,所在城市,行政区划代码,行业,机组,应报起始月,应报截止月,联系邮箱,群机器人,通知语言',
    );
    expect(parseRegistryCsv(outcome.value.csv)).toEqual({ ok: true, enterprises: entries });
  });

  it('refuses an unknown province (400) and anyone but an administrator (403)', async () => {
    await expect(registryFor({ registry: store() }, admin, { province: '南极', format: 'json' })).resolves.toMatchObject({
      ok: false,
      refusal: { code: 'bad-request' },
    });
    await expect(registryFor({ registry: store() }, department, { format: 'json' })).resolves.toMatchObject({ ok: false, refusal: { code: 'forbidden' } });
  });
});

describe('loading the registry', () => {
  it('writes new and changed entries only, and counts the unchanged', async () => {
    const kept = enterprise(1);
    const registry = store([kept, enterprise(2)]);

    const outcome = await loadRegistry({ registry }, admin, { enterprises: [kept, { ...enterprise(2), name: '改名' }, enterprise(3)] });

    expect(outcome).toEqual({ ok: true, value: { imported: 2, unchanged: 1, refused: [] } });
    expect(registry.writes.flat().map((e) => e.name)).toEqual(['改名', '企业3']);
  });

  it('reads places written as names and units as a list, as the sheet’s rows would give them', async () => {
    const registry = store();
    const { province: _, city: __, ...rest } = enterprise(4);

    await loadRegistry({ registry }, admin, { enterprises: [{ ...rest, province: '江西省', city: '南昌' }] });

    expect([...registry.entries.values()]).toMatchObject([{ province: '360000', city: '360100', units: [{ unitId: '1', fuel: 'coal', capacityMW: 600 }] }]);
  });

  it('loads nothing when one row is bad, and names every bad row by its number in both languages', async () => {
    const registry = store();
    const good = enterprise(5);

    const outcome = await loadRegistry({ registry }, admin, {
      enterprises: [good, { ...enterprise(6), enterpriseId: '91360100000000000X' }, { ...enterprise(7), units: [{ unitId: '1', fuel: 'coal' }] }],
    });

    expect(outcome).toMatchObject({
      ok: true,
      value: {
        imported: 0,
        refused: [
          { row: 2, column: 'enterpriseId', message: expect.stringMatching(/^第 2 行（enterpriseId） \/ row 2 \(enterpriseId\): .*credit code/) },
          { row: 3, column: 'units', message: expect.stringContaining('unitId:fuel:capacityMW') },
        ],
      },
    });
    expect(registry.writes).toEqual([]);
  });

  it('takes a CSV sheet, its rows numbered by the file’s lines (the header is line 1)', async () => {
    const registry = store();
    const csv = `统一社会信用代码,企业名称,所在城市,机组,应报起始月\n${enterprise(8).enterpriseId},企业8,九江,1:coal:300,2025-01\nbad,企业9,九江,1:coal:300,2025-01\n`;

    const refusedLoad = await loadRegistry({ registry }, admin, { csv });
    const goodLoad = await loadRegistry({ registry }, admin, { csv: csv.split('\n').slice(0, 2).join('\n') });

    expect(refusedLoad).toMatchObject({ ok: true, value: { imported: 0, refused: [{ row: 3 }] } });
    expect(goodLoad).toEqual({ ok: true, value: { imported: 1, unchanged: 0, refused: [] } });
    expect(registry.entries.get(enterprise(8).enterpriseId)).toMatchObject({ city: '360400' });
  });

  it('refuses anyone but an administrator (403) and writes nothing', async () => {
    const registry = store();

    await expect(loadRegistry({ registry }, department, { enterprises: [enterprise(1)] })).resolves.toMatchObject({
      ok: false,
      refusal: { code: 'forbidden' },
    });
    expect(registry.writes).toEqual([]);
  });
});

describe('loading industries and facilities', () => {
  it('writes an entry again when it gains an industry or a facility attribute changes, and not when nothing did', async () => {
    const kept = enterprise(20);
    const registry = store([kept]);
    const withCement: Enterprise = {
      ...kept,
      industries: [
        { industry: 'power', obligedFrom: '2025-01' },
        { industry: 'cement', obligedFrom: '2025-07' },
      ],
      units: [...kept.units, { unitId: 'L1', industry: 'cement', clinkerType: 'portland', designCapacityTpd: 5000 }],
    };

    const added = await loadRegistry({ registry }, admin, { enterprises: [withCement] });
    const again = await loadRegistry({ registry }, admin, { enterprises: [withCement] });
    const bigger = await loadRegistry({ registry }, admin, {
      enterprises: [{ ...withCement, units: [kept.units[0], { unitId: 'L1', industry: 'cement', clinkerType: 'portland', designCapacityTpd: 6000 }] }],
    });

    expect(added).toEqual({ ok: true, value: { imported: 1, unchanged: 0, refused: [] } });
    expect(again).toEqual({ ok: true, value: { imported: 0, unchanged: 1, refused: [] } });
    expect(bigger).toEqual({ ok: true, value: { imported: 1, unchanged: 0, refused: [] } });
    expect(registry.entries.get(kept.enterpriseId)?.units[1]).toMatchObject({ designCapacityTpd: 6000 });
  });
});
