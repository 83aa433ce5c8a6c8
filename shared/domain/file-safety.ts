/**
 * Guards that run before a report is parsed, against files built to hurt the parser rather
 * than to report a month: ZIP bombs and macro or external-link workbooks posing as XLSX, and
 * JSON nested a million deep or with duplicate keys (which JSON.parse silently resolves to the
 * last value — a reviewer would see one number, the pipeline another).
 */
import { visit } from 'jsonc-parser';
import yauzl from 'yauzl';
import { issueOf } from './checks.ts';
import type { Issue } from './issues.ts';

/** A real monthly workbook unpacks to well under a megabyte. */
export const MAX_XLSX_UNPACKED_BYTES = 20 * 1024 * 1024;
export const MAX_XLSX_ENTRIES = 500;
export const MAX_JSON_DEPTH = 32;

interface ZipEntrySummary {
  readonly names: string[];
  readonly unpackedBytes: number;
  readonly tooLarge: boolean;
  readonly tooMany: boolean;
}

/** Walks the ZIP, inflating every entry and counting real bytes: declared sizes can lie. */
function summariseZip(bytes: Uint8Array): Promise<ZipEntrySummary> {
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
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        if (names.length > MAX_XLSX_ENTRIES) return finish({ tooLarge: false, tooMany: true });
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) {
            settled = true;
            return reject(streamError ?? new Error(`cannot read ${entry.fileName}`));
          }
          stream.on('data', (chunk: Buffer) => {
            unpackedBytes += chunk.length;
            if (unpackedBytes > MAX_XLSX_UNPACKED_BYTES) {
              stream.destroy();
              finish({ tooLarge: true, tooMany: false });
            }
          });
          stream.on('error', (e) => {
            if (!settled) {
              settled = true;
              reject(e);
            }
          });
          stream.on('end', () => zip.readEntry());
        });
      });
      zip.readEntry();
    });
  });
}

/** Problems that make a workbook unsafe to open; empty when it may be parsed. */
export async function inspectXlsx(bytes: Uint8Array): Promise<Issue[]> {
  // Not a ZIP at all: the XLSX parser names that (EVD-FILE-TYPE); nothing to guard here.
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)) return [];
  let zip: ZipEntrySummary;
  try {
    zip = await summariseZip(bytes);
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
  const issues: Issue[] = [];
  const macros = zip.names.filter((n) => /vbaProject\.bin$|\.bin$/i.test(n) && /^xl\//i.test(n));
  if (macros.length > 0) issues.push(issueOf('EVD-XLSX-MACROS', { found: macros.slice(0, 5).join(', '), expected: 'a workbook without macros (.xlsx, not .xlsm)' }));
  const links = zip.names.filter((n) => /^xl\/externalLinks\//i.test(n));
  if (links.length > 0) issues.push(issueOf('EVD-XLSX-EXTERNAL-LINKS', { found: links.slice(0, 5).join(', '), expected: 'values typed in, not linked from other workbooks' }));
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
        issues.push(issueOf('EVD-JSON-DUPLICATE-KEY', { field: [...path, property].join('.'), found: `"${property}" twice`, expected: 'each key once per object' }));
      }
      keys.add(property);
    },
  });
  return issues;
}
