/**
 * The spreadsheet library, loaded on first use. exceljs (with the ZIP, stream and archive code it
 * pulls in) is a third of a function's bundle, and most reports are CSV or JSON: a static import
 * would make every cold start pay for it. A dynamic import of a parser is not I/O, so the domain
 * stays pure; the bundler puts the library in a chunk of its own (infra/stack/evidence-function.ts).
 */
import type { Workbook } from 'exceljs';

export type { CellValue, Workbook, Worksheet } from 'exceljs';

/** An empty workbook; the library is imported the first time one is made, then cached by the module loader. */
export async function newWorkbook(): Promise<Workbook> {
  const { default: ExcelJS } = await import('exceljs');
  return new ExcelJS.Workbook();
}
