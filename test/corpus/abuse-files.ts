/**
 * Report files built to attack the parser rather than to report a month: a ZIP bomb posing as
 * XLSX, workbooks with macros or external links, a sheet reaching its last row, a hidden sheet
 * holding other figures, JSON nested a million deep or with a key twice.
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import yazl from 'yazl';
import { reportRows, writeJson } from '#domain/report-writers.ts';
import type { MonthlyReport } from '#domain/report.ts';
import type { CorpusFile } from './cases.ts';

function zip(entries: readonly { name: string; body: Buffer | (() => Readable) }[]): Promise<Uint8Array> {
  const file = new yazl.ZipFile();
  for (const e of entries) {
    if (Buffer.isBuffer(e.body)) file.addBuffer(e.body, e.name);
    else file.addReadStream(e.body(), e.name);
  }
  file.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    file.outputStream.on('data', (c: Buffer) => chunks.push(c));
    file.outputStream.on('error', reject);
    file.outputStream.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
  });
}

const CONTENT_TYPES = Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');

/** 64 MiB of spaces as the "worksheet": deflates to about 64 KiB. */
export function zipBombXlsx(): Promise<CorpusFile> {
  const total = 64 * 1024 * 1024;
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  const spaces = () =>
    Readable.from(
      (function* () {
        for (let sent = 0; sent < total; sent += chunk.length) yield chunk;
      })(),
    );
  return zip([
    { name: '[Content_Types].xml', body: CONTENT_TYPES },
    { name: 'xl/worksheets/sheet1.xml', body: spaces },
  ]).then((bytes) => ({ fileName: 'report.xlsx', bytes }));
}

export async function macroXlsx(): Promise<CorpusFile> {
  const bytes = await zip([
    { name: '[Content_Types].xml', body: CONTENT_TYPES },
    { name: 'xl/workbook.xml', body: Buffer.from('<workbook/>') },
    { name: 'xl/vbaProject.bin', body: Buffer.from('Attribute VB_Name = "Module1"\nSub AutoOpen()\nEnd Sub\n') },
  ]);
  return { fileName: 'report.xlsx', bytes };
}

export async function externalLinkXlsx(): Promise<CorpusFile> {
  const bytes = await zip([
    { name: '[Content_Types].xml', body: CONTENT_TYPES },
    { name: 'xl/workbook.xml', body: Buffer.from('<workbook/>') },
    { name: 'xl/externalLinks/externalLink1.xml', body: Buffer.from('<externalLink><externalBook r:id="rId1"/></externalLink>') },
  ]);
  return { fileName: 'report.xlsx', bytes };
}

export function deepJson(): CorpusFile {
  const depth = 1_000_000;
  return {
    fileName: 'report.json',
    bytes: new TextEncoder().encode(`{"enterpriseId":"x","period":"2026-03","units":${'['.repeat(depth)}${']'.repeat(depth)}}`),
  };
}

/** The valid report with its period written twice: JSON.parse would keep only the second. */
export function duplicateKeyJson(report: MonthlyReport): CorpusFile {
  const text = writeJson(report).replace('"period":', '"period": "2025-01", "period":');
  return { fileName: 'report.json', bytes: new TextEncoder().encode(text) };
}

/** A workbook whose first sheet is hidden and holds other figures; the report is on the second, visible one. */
export async function hiddenFirstSheetXlsx(report: MonthlyReport): Promise<CorpusFile> {
  const workbook = new ExcelJS.Workbook();
  const draft = workbook.addWorksheet('草稿');
  draft.state = 'hidden';
  const altered = reportRows(report).map((row, i) => (i === 0 ? row : row.map((cell, j) => (j === 4 && typeof cell === 'number' ? cell * 2 : cell))));
  for (const row of altered) draft.addRow(row);
  const shown = workbook.addWorksheet('月度存证');
  for (const row of reportRows(report)) shown.addRow(row);
  return { fileName: 'report.xlsx', bytes: new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer) };
}

/** A few kilobytes zipped: the header in row 1 and one cell at the sheet's last row, 1,048,576. */
export async function lastRowXlsx(report: MonthlyReport): Promise<CorpusFile> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('月度存证');
  for (const row of reportRows(report)) sheet.addRow(row);
  sheet.getCell('A1048576').value = 'x';
  return { fileName: 'report.xlsx', bytes: new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer) };
}
