/**
 * The demo the twin replays at start: a handful of Jiangxi power enterprises depositing two
 * months, with the behaviour departments know — clean deposits on time, late ones, deposits
 * with problems and their corrections. Everything goes through the real pipeline (S3 upload →
 * intake queue → validate-deposit → ledger → review queue).
 */
import { creditCodeCheckChar, type Enterprise } from '#domain/registry.ts';
import { addMonths, hoursInMonth, type Period } from '#domain/period.ts';
import type { z } from 'zod';
import type { JsonReportSchema } from '#domain/report.ts';

type JsonReport = z.input<typeof JsonReportSchema>;

export function demoCreditCode(n: number, cityCode = '360100'): string {
  const first17 = `91${cityCode}7${String(n).padStart(8, '0')}`;
  return first17 + creditCodeCheckChar(first17);
}

const CITIES = [
  ['南昌', '360100'],
  ['景德镇', '360200'],
  ['萍乡', '360300'],
  ['九江', '360400'],
  ['新余', '360500'],
  ['鹰潭', '360600'],
  ['赣州', '360700'],
  ['吉安', '360800'],
  ['宜春', '360900'],
  ['抚州', '361000'],
  ['上饶', '361100'],
] as const;

/**
 * Departments write places as they please: the demo's 南昌 enterprises are registered as 南昌
 * and as 南昌市 (and the province as 江西 and 江西省) on purpose. The registry keys them by
 * division code (360100), so they are one city: one summary, one late list.
 */
const NANCHANG_SPELLINGS = ['南昌', '南昌市'] as const;

export function demoEnterprises(count: number, obligedFrom: Period): Enterprise[] {
  return Array.from({ length: count }, (_, i) => {
    const [name, code] = CITIES[i % CITIES.length] as (typeof CITIES)[number];
    const round = Math.floor(i / CITIES.length);
    const city: string = code === '360100' ? (NANCHANG_SPELLINGS[round % 2] as string) : name;
    return {
      enterpriseId: demoCreditCode(i + 1, code),
      name: `${name}第${i + 1}发电有限公司`,
      province: round % 2 ? '江西省' : '江西',
      city,
      industry: 'power',
      units: [
        { unitId: '1', fuel: 'coal' as const, capacityMW: 600 },
        { unitId: '2', fuel: 'coal' as const, capacityMW: 350 },
      ],
      obligedFrom,
    };
  });
}

/** A plausible month for one coal unit; `seed` varies the numbers so months differ. */
function coalUnitValues(capacityMW: number, period: Period, seed: number) {
  const hours = Math.round(hoursInMonth(period) * (0.78 + ((seed * 7) % 17) / 100));
  const load = 70 + ((seed * 13) % 15);
  const generated = Math.round(capacityMW * hours * (load / 100));
  const supplied = Math.round(generated * (0.94 - ((seed * 3) % 3) / 100));
  const ncv = 20 + ((seed * 11) % 30) / 10;
  const coal = Math.round((supplied * (0.295 + ((seed * 5) % 20) / 1000) * 29.271) / ncv);
  const carbon = 52 + ((seed * 17) % 80) / 10;
  return {
    coalConsumed: { value: coal, unit: 't' },
    ncvAsReceived: { value: Number(ncv.toFixed(2)), unit: 'GJ/t' },
    carbonAsReceived: { value: Number(carbon.toFixed(2)), unit: '%' },
    carbonPerHeat: { value: Number((carbon / 100 / ncv).toFixed(5)), unit: 'tC/GJ' },
    hydrogen: { value: Number((3 + ((seed * 7) % 10) / 10).toFixed(2)), unit: '%' },
    sulfur: { value: Number((0.6 + ((seed * 3) % 8) / 10).toFixed(2)), unit: '%' },
    moisture: { value: Number((10 + ((seed * 19) % 60) / 10).toFixed(1)), unit: '%' },
    purchasedElectricity: { value: 20 + ((seed * 29) % 80), unit: 'MWh' },
    powerGenerated: { value: generated, unit: 'MWh' },
    powerSupplied: { value: supplied, unit: 'MWh' },
    heatSupplied: { value: 10_000 + ((seed * 37) % 5000), unit: 'GJ' },
    operatingHours: { value: hours, unit: 'h' },
    loadFactor: { value: load, unit: '%' },
  };
}

export type DemoFlaw = 'none' | 'missing-parameter' | 'supplied-exceeds-generated' | 'atypical-ncv';

export function demoReport(enterprise: Enterprise, period: Period, seed: number, flaw: DemoFlaw = 'none'): JsonReport {
  return {
    enterpriseId: enterprise.enterpriseId,
    period,
    units: enterprise.units.map((unit, u) => {
      const parameters: Record<string, { value: number; unit: string; evidenceFile?: string }> = Object.fromEntries(
        Object.entries(coalUnitValues(unit.capacityMW ?? 0, period, seed * 31 + u)).map(([code, v]) => [code, { ...v, evidenceFile: 'ledger-scan.pdf' }]),
      );
      if (u === 0 && flaw === 'missing-parameter') delete parameters.sulfur;
      if (u === 0 && flaw === 'supplied-exceeds-generated' && parameters.powerGenerated) {
        parameters.powerSupplied = { ...parameters.powerGenerated, value: parameters.powerGenerated.value + 1000 };
      }
      if (u === 0 && flaw === 'atypical-ncv' && parameters.ncvAsReceived && parameters.carbonPerHeat) {
        parameters.ncvAsReceived.value = 12.5;
      }
      return {
        unitId: unit.unitId,
        parameters,
        labReport: {
          reportNo: `LAB-${period}-${enterprise.enterpriseId.slice(-6)}-${unit.unitId}`,
          issuedOn: `${addMonths(period, 1)}-08`,
          evidenceFile: 'lab-report.pdf',
        },
      };
    }),
  };
}

/** A stand-in scanned PDF: a real PDF header so type checks by content pass. */
export function demoPdf(title: string): Uint8Array {
  return new TextEncoder().encode(`%PDF-1.4\n% ${title}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
}

export interface ScriptedDeposit {
  readonly enterprise: Enterprise;
  readonly period: Period;
  readonly receivedAt: string;
  readonly report: JsonReport;
  readonly label: string;
}

/** Two months for six enterprises: on time, late, with problems, and corrections. */
export function demoScript(enterprises: readonly Enterprise[], first: Period): ScriptedDeposit[] {
  const deposits: ScriptedDeposit[] = [];
  const at = (period: Period, day: number, time = '10:00:00') => {
    const [y, m] = addMonths(period, 1).split('-');
    return new Date(`${y}-${m}-01T${time}+08:00`).getTime() + (day - 1) * 86_400_000;
  };
  enterprises.forEach((enterprise, i) => {
    for (const [p, period] of [first, addMonths(first, 1)].entries()) {
      const seed = i * 12 + p;
      const iso = (ms: number) => new Date(ms).toISOString();
      if (p === 0 && i % 3 === 1) {
        // Late: deposited 45 days after month end.
        deposits.push({ enterprise, period, receivedAt: iso(at(period, 46)), report: demoReport(enterprise, period, seed), label: 'late, clean' });
      } else if (p === 0 && i % 3 === 2) {
        deposits.push({
          enterprise,
          period,
          receivedAt: iso(at(period, 20)),
          report: demoReport(enterprise, period, seed, 'supplied-exceeds-generated'),
          label: 'on time, with an error',
        });
        deposits.push({ enterprise, period, receivedAt: iso(at(period, 25)), report: demoReport(enterprise, period, seed), label: 'correction' });
      } else if (p === 1 && i === 0) {
        deposits.push({
          enterprise,
          period,
          receivedAt: iso(at(period, 15)),
          report: demoReport(enterprise, period, seed, 'atypical-ncv'),
          label: 'on time, needs review',
        });
      } else {
        deposits.push({ enterprise, period, receivedAt: iso(at(period, 10 + i)), report: demoReport(enterprise, period, seed), label: 'on time, clean' });
      }
    }
  });
  return deposits;
}

/** A deterministic number in [0, 1) per key, so the demo year is the same on every start. */
function chance(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return ((h >>> 0) % 100_000) / 100_000;
}

/**
 * A province's first year of monthly deposits, month `k` of `periods.length`: on time rises from
 * ~10% to 100% by the tenth month and clean first deposits from 0% to ~60%, the way Jiangxi
 * reported its 2023; returned deposits are corrected within days. Nothing is received after
 * `now`, so the latest month is still coming in.
 */
export function demoYearScript(enterprises: readonly Enterprise[], periods: readonly Period[], now: Date): ScriptedDeposit[] {
  const deposits: ScriptedDeposit[] = [];
  const flaws: DemoFlaw[] = ['supplied-exceeds-generated', 'missing-parameter', 'atypical-ncv'];
  periods.forEach((period, k) => {
    const progress = periods.length > 1 ? k / (periods.length - 1) : 1;
    const onTimeShare = Math.min(1, 0.1 + (0.9 * k) / Math.max(1, periods.length - 4));
    const cleanShare = 0.55 * progress;
    const [y, m] = addMonths(period, 1).split('-');
    const monthEnd = Date.parse(`${y}-${m}-01T00:00:00+08:00`);
    const deadline = monthEnd + 40 * 86_400_000;
    enterprises.forEach((enterprise, i) => {
      const key = `${enterprise.enterpriseId}/${period}`;
      const onTime = chance(`${key}/t`) < onTimeShare;
      const receivedMs = onTime
        ? monthEnd + (3 + Math.floor(chance(`${key}/d`) * 36)) * 86_400_000 + Math.floor(chance(`${key}/h`) * 10 + 8) * 3_600_000
        : deadline + (1 + Math.floor(chance(`${key}/d`) * 25)) * 86_400_000 + 9 * 3_600_000;
      if (receivedMs > now.getTime() - 3_600_000) return;
      const seed = i * 100 + k;
      const clean = chance(`${key}/c`) < cleanShare;
      // A quarter of the flawed deposits need a reviewer's judgement; they stay out of the first-pass rate until decided.
      const flaw: DemoFlaw = clean ? 'none' : chance(`${key}/f`) < 0.75 ? (flaws[Math.floor(chance(`${key}/e`) * 2)] as DemoFlaw) : 'atypical-ncv';
      const receivedAt = new Date(receivedMs).toISOString();
      deposits.push({ enterprise, period, receivedAt, report: demoReport(enterprise, period, seed, flaw), label: flaw === 'none' ? 'clean' : flaw });
      const correctionMs = receivedMs + (2 + Math.floor(chance(`${key}/r`) * 5)) * 86_400_000;
      // Most returned deposits are corrected; the rest stay open for the department to chase.
      if (flaw !== 'none' && flaw !== 'atypical-ncv' && chance(`${key}/k`) < 0.5 && correctionMs < now.getTime() - 3_600_000) {
        deposits.push({
          enterprise,
          period,
          receivedAt: new Date(correctionMs).toISOString(),
          report: demoReport(enterprise, period, seed),
          label: 'correction',
        });
      }
    });
  });
  return deposits;
}
