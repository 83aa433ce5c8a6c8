/**
 * The demo the twin replays at start: Jiangxi power enterprises — and a cement, steel and
 * aluminium enterprise or two (examples/industries.ts) — depositing, with the behaviour
 * departments know: clean deposits on time, late ones, deposits with problems and their
 * corrections. Everything goes through the real pipeline (S3 upload →
 * intake queue → validate-deposit → ledger → review queue).
 */
import { creditCodeCheckChar, type Enterprise } from '#domain/registry.ts';
import { addMonths, hoursInMonth, type Period } from '#domain/period.ts';
import type { z } from 'zod';
import type { JsonReportSchema, MonthlyReport, UnitReport } from '#domain/report.ts';
import { writeJson } from '#domain/report-writers.ts';
import type { DemoFile } from '#examples/demo.ts';
import { type EvidenceNames, INDUSTRY_ENTERPRISES, industryReport } from '#examples/industries.ts';

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

/**
 * The two evidence files every demo deposit uploads (start.ts): the industry reports name them
 * as the power reports do, one ledger scan for every measured figure and one lab report.
 */
export const TWIN_EVIDENCE_NAMES: EvidenceNames = { ledger: () => 'ledger-scan.pdf', lab: () => 'lab-report.pdf' };

/**
 * The cement, steel and aluminium enterprises of the demo (examples/industries.ts), obliged from
 * July 2025 or, when the demo year starts later, from its first month (the months before it are
 * not replayed, so they would only show as missing).
 */
export function demoIndustryEnterprises(firstPeriod: Period = '2025-07'): Enterprise[] {
  return INDUSTRY_ENTERPRISES.map((enterprise) => {
    const from = (enterprise.industries ?? []).map((o) => (o.obligedFrom > firstPeriod ? o.obligedFrom : firstPeriod));
    return {
      ...enterprise,
      industries: (enterprise.industries ?? []).map((o, i) => ({ ...o, obligedFrom: from[i] ?? o.obligedFrom })),
      obligedFrom: [...from].sort()[0] ?? enterprise.obligedFrom,
    };
  });
}

/**
 * The mistakes each industry's enterprises make: two that return the deposit, one a reviewer
 * must judge (the power flaws' counterparts, index for index).
 *  - cement: a clinker factor other than the type's default (EVD-DEFAULT-MISMATCH); the clinker
 *    output left out (EVD-PARAM-MISSING); purchased electricity booked for the whole plant, 80 kWh
 *    per tonne of clinker (EVD-CEM-POWER-RATE, a warning).
 *  - steel: a coal opening stock that does not continue last month's closing stock
 *    (EVD-STEEL-STOCK-CONTINUITY, when last month was accepted); a coke line that does not
 *    balance (EVD-STEEL-MASS-BALANCE); hot metal of 0.99 t per tonne of crude steel
 *    (EVD-STEEL-HOT-METAL-RATIO, a warning).
 *  - aluminium: the AC power left out (EVD-PARAM-MISSING); a net anode default of 0.42, the older
 *    text's (EVD-DEFAULT-MISMATCH); anode-effect minutes of 0.5 per cell-day (EVD-PARAM-ATYPICAL,
 *    a warning).
 */
export const INDUSTRY_FLAWS = {
  cement: ['wrong-clinker-factor', 'missing-clinker-output', 'plant-electricity'],
  steel: ['stock-not-continued', 'coke-unbalanced', 'hot-metal-ratio'],
  aluminium: ['missing-ac-power', 'older-anode-default', 'atypical-anode-effect'],
} as const;

export type IndustryFlaw = 'none' | (typeof INDUSTRY_FLAWS)[keyof typeof INDUSTRY_FLAWS][number];

function facility(report: MonthlyReport, unitId: string): UnitReport {
  const found = report.units.find((u) => u.unitId === unitId);
  if (!found) throw new Error(`the demo report has no facility ${unitId}`);
  return found;
}

function change(report: MonthlyReport, unitId: string, key: string, to: (value: number) => number, basis?: 'default'): void {
  const v = facility(report, unitId).parameters[key];
  if (!v) throw new Error(`the demo report's ${unitId} has no ${key}`);
  const value = Number(to(v.value).toFixed(3));
  facility(report, unitId).parameters[key] = { ...v, value, declaredValue: value, ...(basis ? { basis } : {}) };
}

/**
 * A month of a cement, steel or aluminium demo enterprise, clean or with one of its industry's
 * flaws, naming the twin's two evidence files; their hashes are declared only for `evidence` given.
 */
export function demoIndustryReport(enterprise: Enterprise, period: Period, flaw: IndustryFlaw = 'none', evidence: readonly DemoFile[] = []): MonthlyReport {
  const report = structuredClone(industryReport(enterprise, period, { names: TWIN_EVIDENCE_NAMES, evidence }));
  const first = report.units[0]?.unitId ?? '';
  switch (flaw) {
    case 'none':
      break;
    case 'wrong-clinker-factor':
      change(report, first, 'clinkerProcessFactor', () => 0.52);
      break;
    case 'missing-clinker-output':
      delete facility(report, first).parameters.clinkerOutput;
      break;
    case 'plant-electricity':
      change(report, first, 'purchasedElectricity', (mwh) => mwh * (80 / 56.7));
      break;
    case 'stock-not-continued':
      change(report, 'COK', 'openingStock[coal]', (t) => t + 500);
      change(report, 'COK', 'netConsumed[coal]', (t) => t + 500);
      break;
    case 'coke-unbalanced':
      change(report, 'IRON', 'netConsumed[coke]', (t) => t + 1000);
      break;
    case 'hot-metal-ratio':
      change(report, 'ENT', 'hotMetalOutput', (t) => Math.round(t * 1.15));
      break;
    case 'missing-ac-power':
      delete facility(report, first).parameters.acPower;
      break;
    case 'older-anode-default':
      change(report, first, 'anodeNetPerTonne', () => 0.42, 'default');
      break;
    case 'atypical-anode-effect':
      change(report, first, 'anodeEffectMinutes', () => 0.5);
      break;
  }
  return report;
}

/** The same month as the JSON an enterprise's system uploads (what the replay puts in the bucket). */
export function demoIndustryJson(enterprise: Enterprise, period: Period, flaw: IndustryFlaw = 'none'): JsonReport {
  return JSON.parse(writeJson(demoIndustryReport(enterprise, period, flaw))) as JsonReport;
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
 * `now`, so the latest month is still coming in. Cement, steel and aluminium enterprises among
 * `enterprises` make their own industry's mistakes (INDUSTRY_FLAWS): every first deposit of the
 * first month has one, none by the last quarter of the year, and each returned month is corrected.
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
      const industryFlaws = INDUSTRY_FLAWS[enterprise.industry as keyof typeof INDUSTRY_FLAWS] as readonly IndustryFlaw[] | undefined;
      // The new industries' first months (their first on the system) all have a mistake; by the last quarter of the year none.
      const clean = chance(`${key}/c`) < (industryFlaws ? Math.min(1, 1.3 * progress) : cleanShare);
      // A quarter of the flawed deposits need a reviewer's judgement; they stay out of the first-pass rate until decided.
      const which = clean ? -1 : chance(`${key}/f`) < 0.75 ? Math.floor(chance(`${key}/e`) * 2) : 2;
      const flaw: DemoFlaw = which < 0 ? 'none' : (flaws[which] as DemoFlaw);
      const industryFlaw: IndustryFlaw = which < 0 ? 'none' : (industryFlaws?.[which] ?? 'none');
      // Power's reports, or a cement, steel or aluminium month with its industry's counterpart of the flaw.
      const reportOf = (withFlaw: boolean): JsonReport =>
        industryFlaws ? demoIndustryJson(enterprise, period, withFlaw ? industryFlaw : 'none') : demoReport(enterprise, period, seed, withFlaw ? flaw : 'none');
      const label = which < 0 ? 'clean' : industryFlaws ? industryFlaw : flaw;
      const receivedAt = new Date(receivedMs).toISOString();
      deposits.push({ enterprise, period, receivedAt, report: reportOf(true), label });
      const correctionMs = receivedMs + (2 + Math.floor(chance(`${key}/r`) * 5)) * 86_400_000;
      // Most returned deposits are corrected; the rest stay open for the department to chase. The new industries
      // correct every returned month (so steel's next month has an accepted closing stock to continue).
      if (which >= 0 && which < 2 && (industryFlaws || chance(`${key}/k`) < 0.5) && correctionMs < now.getTime() - 3_600_000) {
        deposits.push({
          enterprise,
          period,
          receivedAt: new Date(correctionMs).toISOString(),
          report: reportOf(false),
          label: 'correction',
        });
      }
    });
  });
  return deposits;
}
