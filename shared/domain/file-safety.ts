/**
 * Guards that run before a report is parsed, against files built to hurt the parser rather
 * than to report a month: ZIP bombs, sheets whose last cell sits a million rows down (a few
 * kilobytes zipped, a gigabyte once a spreadsheet reader builds the rows), macro or
 * external-link workbooks posing as XLSX, and
 * JSON nested a million deep or with duplicate keys (which JSON.parse silently resolves to the
 * last value — a reviewer would see one number, the pipeline another).
 */
import { visit } from 'jsonc-parser';
import type { Entry } from 'yauzl';
import { type CheckSettings, DEFAULT_CHECK_SETTINGS } from './check-settings.ts';
import { issueOf } from './catalogue.ts';
import type { Issue } from './issues.ts';

/** A real monthly workbook unpacks to well under a megabyte. */
export const MAX_XLSX_UNPACKED_BYTES = 20 * 1024 * 1024;
export const MAX_XLSX_ENTRIES = 500;
export const MAX_JSON_DEPTH = 32;

export type TableLimits = CheckSettings['report'];

/** How far down and across a sheet reaches. */
export interface SheetExtent {
  readonly sheet: string;
  readonly rows: number;
  readonly columns: number;
}

/** The entries exceljs reads as worksheets: its own (unanchored) pattern, so no sheet escapes the count. */
const WORKSHEET_ENTRY = /xl\/worksheets\/sheet\d+\.xml/i;
/**
 * A `<row …>` or `<c …>` start tag, with or without a namespace prefix; quoted attribute values
 * may hold `>`, so they are matched whole.
 */
const ROW_OR_CELL = /<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])((?:[^<>"']|"[^"<]*"|'[^'<]*')*)>/g;
const REFERENCE = /(?:^|\s)r\s*=\s*["']([A-Za-z]*)(\d*)["']/;

function columnNumber(letters: string): number {
  let n = 0;
  for (const c of letters.toUpperCase()) n = n * 26 + (c.charCodeAt(0) - 64);
  return n;
}

/**
 * A sheet's extent from its XML, without building it: the largest row and column any `<row>` or
 * `<c>` reaches, by its `r` reference or, where a producer leaves it out, by its position after
 * the previous one (as readers number them). The XML is held whole (the unpacked total is
 * bounded by MAX_XLSX_UNPACKED_BYTES), so no tag is missed at a chunk boundary.
 */
export function sheetExtentOf(xml: string): { rows: number; columns: number } {
  let rows = 0;
  let columns = 0;
  let row = 0;
  let column = 0;
  ROW_OR_CELL.lastIndex = 0;
  for (let m = ROW_OR_CELL.exec(xml); m; m = ROW_OR_CELL.exec(xml)) {
    const [, letters = '', digits = ''] = REFERENCE.exec(m[2] ?? '') ?? [];
    if (m[1] === 'row') {
      row = digits ? Number(digits) : row + 1;
      column = 0;
    } else {
      if (digits) row = Math.max(row, Number(digits));
      column = letters ? columnNumber(letters) : column + 1;
    }
    rows = Math.max(rows, row);
    columns = Math.max(columns, column);
  }
  return { rows, columns };
}

interface ZipEntrySummary {
  readonly names: string[];
  readonly unpackedBytes: number;
  readonly tooLarge: boolean;
  readonly tooMany: boolean;
  /** The first sheet found reaching beyond the limits. */
  readonly oversized?: SheetExtent;
}

/** Walks the ZIP, inflating every entry and counting real bytes: declared sizes can lie. */
async function summariseZip(bytes: Uint8Array, limits: TableLimits): Promise<ZipEntrySummary> {
  // Loaded on first use, like the workbook reader (workbook.ts): only XLSX reports are unzipped.
  const { default: yauzl } = await import('yauzl');
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(Buffer.from(bytes), { lazyEntries: true, validateEntrySizes: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('not a ZIP file'));
      const names: string[] = [];
      let unpackedBytes = 0;
      let settled = false;
      const finish = (summary: Omit<ZipEntrySummary, 'names' | 'unpackedBytes'>) => {
        if (settled) return;
        settled = true;
        zip.close();
        resolve({ names, unpackedBytes, ...summary });
      };
      zip.on('error', (e) => {
        if (!settled) {
          settled = true;
          reject(e);
        }
      });
      zip.on('end', () => finish({ tooLarge: false, tooMany: false }));
      zip.on('entry', (entry: Entry) => {
        names.push(entry.fileName);
        if (names.length > MAX_XLSX_ENTRIES) return finish({ tooLarge: false, tooMany: true });
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        const sheetXml: Buffer[] | undefined = WORKSHEET_ENTRY.test(entry.fileName) ? [] : undefined;
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) {
            settled = true;
            return reject(streamError ?? new Error(`cannot read ${entry.fileName}`));
          }
          stream.on('data', (chunk: Buffer) => {
            unpackedBytes += chunk.length;
            if (unpackedBytes > MAX_XLSX_UNPACKED_BYTES) {
              stream.destroy();
              return finish({ tooLarge: true, tooMany: false });
            }
            sheetXml?.push(chunk);
          });
          stream.on('error', (e) => {
            if (!settled) {
              settled = true;
              reject(e);
            }
          });
          stream.on('end', () => {
            if (sheetXml) {
              // Latin-1: one character per byte, and the markup sought is ASCII.
              const extent = sheetExtentOf(Buffer.concat(sheetXml).toString('latin1'));
              if (extent.rows > limits.maxRows || extent.columns > limits.maxColumns) {
                return finish({ tooLarge: false, tooMany: false, oversized: { sheet: entry.fileName, ...extent } });
              }
            }
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/** The issue for a table beyond the limits (rows or columns), the same for every format. */
export function tooManyRowsIssue(extent: Omit<SheetExtent, 'sheet'> & { sheet?: string }, limits: TableLimits): Issue {
  const where = extent.sheet ? `${extent.sheet}: ` : '';
  return issueOf('EVD-REPORT-TOO-MANY-ROWS', {
    expected: `${limits.maxRows} rows × ${limits.maxColumns} columns`,
    found: `${where}${extent.rows > limits.maxRows ? `row ${extent.rows}` : `${extent.rows} rows`}, ${extent.columns > limits.maxColumns ? `column ${extent.columns}` : `${extent.columns} columns`}`,
  });
}

/** Problems that make a workbook unsafe to open; empty when it may be parsed. */
export async function inspectXlsx(bytes: Uint8Array, limits: TableLimits = DEFAULT_CHECK_SETTINGS.report): Promise<Issue[]> {
  // Not a ZIP at all: the XLSX parser names that (EVD-FILE-TYPE); nothing to guard here.
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)) return [];
  let zip: ZipEntrySummary;
  try {
    zip = await summariseZip(bytes, limits);
  } catch (error) {
    return [issueOf('EVD-FILE-UNPARSABLE', { expected: 'a readable XLSX workbook', found: (error as Error).message.slice(0, 200) })];
  }
  if (zip.tooLarge || zip.tooMany) {
    return [
      issueOf('EVD-XLSX-UNPACKS-TOO-LARGE', {
        expected: `at most ${MAX_XLSX_UNPACKED_BYTES} bytes in ${MAX_XLSX_ENTRIES} entries once unpacked`,
        found: zip.tooMany ? `more than ${MAX_XLSX_ENTRIES} entries` : `more than ${MAX_XLSX_UNPACKED_BYTES} bytes from a ${bytes.length}-byte file`,
      }),
    ];
  }
  if (zip.oversized) return [tooManyRowsIssue(zip.oversized, limits)];
  const issues: Issue[] = [];
  const macros = zip.names.filter((n) => /vbaProject\.bin$|\.bin$/i.test(n) && /^xl\//i.test(n));
  if (macros.length > 0)
    issues.push(issueOf('EVD-XLSX-MACROS', { found: macros.slice(0, 5).join(', '), expected: 'a workbook without macros (.xlsx, not .xlsm)' }));
  const links = zip.names.filter((n) => /^xl\/externalLinks\//i.test(n));
  if (links.length > 0)
    issues.push(issueOf('EVD-XLSX-EXTERNAL-LINKS', { found: links.slice(0, 5).join(', '), expected: 'values typed in, not linked from other workbooks' }));
  return issues;
}

/** Deepest bracket nesting outside strings, counted without recursion. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/** Problems that make a JSON report ambiguous or unsafe to parse; empty when it may be parsed. */
export function inspectJsonText(text: string): Issue[] {
  const depth = nestingDepth(text);
  if (depth > MAX_JSON_DEPTH) return [issueOf('EVD-JSON-TOO-DEEP', { expected: `at most ${MAX_JSON_DEPTH} levels`, found: `${depth} levels` })];
  const issues: Issue[] = [];
  const keysPerObject: Set<string>[] = [];
  const path: (string | number)[] = [];
  visit(text, {
    onObjectBegin: () => {
      keysPerObject.push(new Set());
    },
    onObjectEnd: () => keysPerObject.pop(),
    onObjectProperty: (property, _offset, _length, _line, _column, pathSupplier) => {
      const keys = keysPerObject[keysPerObject.length - 1];
      if (!keys) return;
      if (keys.has(property) && issues.length < 20) {
        path.splice(0, path.length, ...pathSupplier());
        issues.push(
          issueOf('EVD-JSON-DUPLICATE-KEY', { field: [...path, property].join('.'), found: `"${property}" twice`, expected: 'each key once per object' }),
        );
      }
      keys.add(property);
    },
  });
  return issues;
}
