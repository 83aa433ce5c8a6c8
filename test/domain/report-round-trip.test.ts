import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeCsvBytes, writeJson, writeXlsx, withoutRows } from '#domain/report-writers.ts';
import { readReport } from '#domain/validate.ts';
import { validReport } from './arbitraries.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('any valid report round-trips through every format to the same model', () => {
  it.each([
    ['UTF-8 CSV with English headers', 'r.csv', (r: Parameters<typeof writeCsvBytes>[0]) => writeCsvBytes(r)],
    [
      'UTF-8 CSV with a BOM and Chinese headers and names',
      'r.csv',
      (r: Parameters<typeof writeCsvBytes>[0]) => writeCsvBytes(r, 'utf-8-bom', { headers: 'zh', parameterNames: 'zh' }),
    ],
    ['GB18030 CSV with Chinese headers', 'r.csv', (r: Parameters<typeof writeCsvBytes>[0]) => writeCsvBytes(r, 'gb18030', { headers: 'zh' })],
    ['JSON', 'r.json', (r: Parameters<typeof writeCsvBytes>[0]) => utf8(writeJson(r))],
  ] as const)('%s', async (_name, fileName, write) => {
    await fc.assert(
      fc.asyncProperty(validReport, async (report) => {
        // Act
        const read = await readReport(fileName, write(report));
        // Assess
        expect(read.issues).toEqual([]);
        expect(read.report && withoutRows(read.report)).toEqual(withoutRows(report));
      }),
      { numRuns: 60 },
    );
  });

  it('XLSX', async () => {
    await fc.assert(
      fc.asyncProperty(validReport, fc.boolean(), async (report, chinese) => {
        const bytes = await writeXlsx(report, chinese ? { headers: 'zh', parameterNames: 'zh' } : {});
        const read = await readReport('r.xlsx', bytes);
        expect(read.issues).toEqual([]);
        expect(read.report && withoutRows(read.report)).toEqual(withoutRows(report));
      }),
      { numRuns: 25 },
    );
  });

  it('CSV and XLSX place each value on the same row, so issues point at the same line', async () => {
    await fc.assert(
      fc.asyncProperty(validReport, async (report) => {
        const csv = await readReport('r.csv', writeCsvBytes(report));
        const xlsx = await readReport('r.xlsx', await writeXlsx(report));
        expect(xlsx.report).toEqual(csv.report);
      }),
      { numRuns: 10 },
    );
  });
});
