/**
 * Writes the example deposits under examples/ from the demo report and the report writers:
 * one valid deposit in every report format, plus a few invalid reports with the problem each
 * one shows. Run: node --import tsx scripts/make-examples.ts
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCsvBytes, writeJson, writeXlsx } from '#domain/report-writers.ts';
import { DEMO_ENTERPRISE, DEMO_PERIOD, declareHashes, demoEvidence, demoReport } from '#examples/demo.ts';

const root = fileURLToPath(new URL('../examples/', import.meta.url));
const evidence = demoEvidence();
const report = demoReport(DEMO_PERIOD, evidence);
const zh = { headers: 'zh', parameterNames: 'zh' } as const;
// Pinned so regenerating the XLSX does not change it.
const date = new Date(Date.UTC(2026, 3, 10));

function write(relative: string, bytes: Uint8Array | string): void {
  const path = join(root, relative);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, bytes);
  console.log(`wrote examples/${relative}`);
}

for (const dir of ['valid', 'invalid', 'evidence']) rmSync(join(root, dir), { recursive: true, force: true });

for (const file of evidence) write(`evidence/${file.fileName}`, file.bytes);
write('valid/report.csv', writeCsvBytes(report));
write('valid/report-utf8-bom-zh.csv', writeCsvBytes(report, 'utf-8-bom', zh));
write('valid/report-gb18030-zh.csv', writeCsvBytes(report, 'gb18030', zh));
write('valid/report.xlsx', await writeXlsx(report, { date }));
write('valid/report-zh.xlsx', await writeXlsx(report, { ...zh, date }));
write('valid/report.json', writeJson(report));

const broken = (mutate: (r: typeof report) => void) => {
  const copy = structuredClone(report);
  mutate(copy);
  return declareHashes(copy, evidence);
};
const unit = (r: typeof report, id: string) => r.units.find((u) => u.unitId === id) as (typeof report.units)[number];

// EVD-CROSS-SUPPLIED-GT-GENERATED: supplied and generated swapped.
write(
  'invalid/supplied-above-generated.csv',
  writeCsvBytes(
    broken((r) => {
      const u = unit(r, '1');
      const { powerGenerated, powerSupplied } = u.parameters;
      if (powerGenerated && powerSupplied) [u.parameters.powerGenerated, u.parameters.powerSupplied] = [powerSupplied, powerGenerated];
    }),
  ),
);
// EVD-CPH-DEFAULT-WITH-LAB: the default carbon per unit heat with a lab report attached.
write(
  'invalid/default-carbon-with-lab-report.json',
  writeJson(
    broken((r) => {
      const cph = unit(r, '2').parameters.carbonPerHeat;
      if (cph) Object.assign(cph, { value: 0.03085, declaredValue: 0.03085 });
    }),
  ),
);
// EVD-UNIT-MISSING and EVD-LAB-REPORT-MISSING: unit 2 left out, unit 1 without its lab report.
write(
  'invalid/unit-and-lab-report-missing.xlsx',
  await writeXlsx(
    broken((r) => {
      r.units = r.units.filter((u) => u.unitId !== '2');
      delete unit(r, '1').labReport;
    }),
    { date },
  ),
);
// EVD-CROSS-HOURS-GT-MONTH and EVD-RANGE-HOURS: 800 hours in a 744-hour month.
write(
  'invalid/hours-above-month.csv',
  writeCsvBytes(
    broken((r) => {
      const hours = unit(r, '3').parameters.operatingHours;
      if (hours) Object.assign(hours, { value: 800, declaredValue: 800 });
    }),
    'gb18030',
    zh,
  ),
);

writeFileSync(join(root, 'enterprise.json'), `${JSON.stringify(DEMO_ENTERPRISE, null, 2)}\n`);
console.log('wrote examples/enterprise.json');
