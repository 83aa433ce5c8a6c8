/**
 * Recognising an evidence file by its first bytes, not its name: a renamed Word file or a
 * screenshot saved as `.pdf` is caught here. OFD (the Chinese fixed-layout format, GB/T 33190)
 * is a ZIP whose entries include `OFD.xml`; producers write it first, so its local header sits
 * in the first few hundred bytes.
 *
 * The judgement is strict because evidence is later served to reviewers' browsers: a file must
 * carry its format's whole signature at byte 0, and nothing in the bytes read may look like
 * HTML, SVG, XML or script (an HTML page with `%PDF-` in a comment is a web page, whatever a
 * lenient PDF reader makes of it).
 */
import { issueOf } from './catalogue.ts';
import type { EvidenceType } from './check-settings.ts';
import type { Issue } from './issues.ts';

/** How many leading bytes the pipeline passes for each evidence file (`EvidenceFile.head`). */
export const EVIDENCE_HEAD_BYTES = 4096;

/**
 * The smallest PDF accepted: the least a reader opens (header, a catalogue object, a trailer,
 * `%%EOF`) is about 70 bytes, a one-page document about 300 and a scan kilobytes. A file of a few
 * bytes that starts `%PDF-` is not a document.
 */
export const MIN_PDF_BYTES = 64;

/** PDF readers look for `%%EOF` in the last 1024 bytes (ISO 32000 implementation note). */
const TAIL_BYTES = 1024;

export type SniffedType = EvidenceType | 'zip' | 'markup' | 'unknown';

/** What the content is, and why it is refused though it may start like an allowed type. */
export interface ContentJudgement {
  readonly type: SniffedType;
  /** Absent when the content is plausibly `type`; otherwise what a reviewer reads in `found`. */
  readonly refusal?: string;
}

const MIME_TYPES: Readonly<Record<EvidenceType, string>> = {
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
  // No registered type; the name OFD readers and Chinese e-government portals use.
  ofd: 'application/ofd',
};

const EXTENSIONS: Readonly<Record<EvidenceType, readonly string[]>> = {
  pdf: ['pdf'],
  jpeg: ['jpg', 'jpeg'],
  png: ['png'],
  ofd: ['ofd'],
};

function startsWith(head: Uint8Array, bytes: readonly number[], offset = 0): boolean {
  return head.length >= offset + bytes.length && bytes.every((b, i) => head[offset + i] === b);
}

function indexOf(head: Uint8Array, bytes: readonly number[], from = 0): number {
  for (let i = from; i + bytes.length <= head.length; i++) if (startsWith(head, bytes, i)) return i;
  return -1;
}

const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));

const PDF = ascii('%PDF-');
const PDF_EOF = ascii('%%EOF');
const JPEG_SOI = [0xff, 0xd8, 0xff];
const JPEG_EOI = [0xff, 0xd9];
/** PNG signature, then the first chunk, which must be a 13-byte IHDR. */
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, ...ascii('IHDR')];
const PNG_IEND = ascii('IEND');
const ZIP_LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04];

/** The byte after SOI that starts a JPEG segment: SOFn, DHT, DQT, DRI, APPn or COM. */
function isJpegMarker(byte: number | undefined): boolean {
  return (
    byte !== undefined && ((byte >= 0xc0 && byte <= 0xcf && byte !== 0xc8) || (byte >= 0xdb && byte <= 0xdf) || (byte >= 0xe0 && byte <= 0xef) || byte === 0xfe)
  );
}

/**
 * Markup a browser could render or run, in a PDF or an image: HTML and SVG elements and XML
 * declarations. Tag names are followed by a blank, `>` or `/`, so the chance that compressed
 * image or PDF data spells one by accident is below one in a million. An HTML comment counts:
 * browsers sniff a page that starts with one as HTML. (XMP metadata starts
 * `<?xpacket`, not `<?xml`, and uses prefixed elements, so it does not match.)
 */
const MARKUP = /<(?:!doctype\s+html|html|head|body|script|iframe|frameset|frame|svg|object|embed|meta|link|style|base|form|img)[\s>/]|<\?xml[\s?]|<!--/i;
/**
 * In a ZIP (OFD) the entries are XML by design, and an OFD's own elements may be unprefixed
 * (`<Body>`, `<Link>`): only what is HTML or SVG and nothing else is refused there.
 */
const ZIP_MARKUP = /<(?:!doctype\s+html|html|script|iframe|svg)[\s>/]/i;

function markupIn(head: Uint8Array, inZip: boolean): { at: number; text: string } | undefined {
  // Latin-1 keeps one character per byte, so the match index is the byte offset.
  const match = (inZip ? ZIP_MARKUP : MARKUP).exec(new TextDecoder('latin1').decode(head));
  return match ? { at: match.index, text: match[0].replace(/[\s>/?]+$/, '').slice(0, 20) } : undefined;
}

/** Names of the ZIP entries whose local headers lie wholly inside `head`. */
export function zipEntryNames(head: Uint8Array): string[] {
  const names: string[] = [];
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let offset = 0;
  while (startsWith(head, ZIP_LOCAL_HEADER, offset) && offset + 30 <= head.length && names.length < 64) {
    const flags = view.getUint16(offset + 6, true);
    const compressedSize = view.getUint32(offset + 18, true);
    const nameLength = view.getUint16(offset + 26, true);
    const extraLength = view.getUint16(offset + 28, true);
    if (offset + 30 + nameLength > head.length) break;
    names.push(new TextDecoder().decode(head.subarray(offset + 30, offset + 30 + nameLength)));
    // With a data descriptor (flag bit 3) the size is not known here: stop walking.
    if (flags & 0x08) break;
    offset += 30 + nameLength + extraLength + compressedSize;
  }
  return names;
}

/** What the leading bytes announce, before plausibility. */
function announcedType(head: Uint8Array): SniffedType {
  if (startsWith(head, PDF)) return 'pdf';
  if (startsWith(head, JPEG_SOI)) return 'jpeg';
  if (startsWith(head, PNG.slice(0, 8))) return 'png';
  if (startsWith(head, ZIP_LOCAL_HEADER)) {
    return zipEntryNames(head).some((n) => n.replace(/^\.?\//, '').toLowerCase() === 'ofd.xml') ? 'ofd' : 'zip';
  }
  return 'unknown';
}

/**
 * The content of an evidence file judged from its first bytes and, where known, its size. When
 * the whole file is in `head` (size ≤ head length) its end is checked too; otherwise only the
 * pipeline's first `EVIDENCE_HEAD_BYTES` are seen, and the end cannot be. Without `size`, a head
 * shorter than `EVIDENCE_HEAD_BYTES` is taken as the whole file: the pipeline passes fewer bytes
 * only for a shorter file.
 */
export function judgeContent(head: Uint8Array, knownSize?: number): ContentJudgement {
  const size = knownSize ?? (head.length < EVIDENCE_HEAD_BYTES ? head.length : undefined);
  const type = announcedType(head);
  const markup = markupIn(head, type === 'ofd' || type === 'zip');
  if (markup) return { type: 'markup', refusal: `HTML/SVG/XML/script markup (${markup.text}) at byte ${markup.at}` };
  const whole = size !== undefined && size <= head.length;
  const tail = whole ? head.subarray(Math.max(0, size - TAIL_BYTES), size) : undefined;
  switch (type) {
    case 'pdf': {
      if (!/^%PDF-[12]\.\d/.test(new TextDecoder('latin1').decode(head.subarray(0, 8)))) {
        return {
          type,
          refusal: `a %PDF- header without a version such as 1.7 or 2.0 (${JSON.stringify(new TextDecoder('latin1').decode(head.subarray(0, 8)))})`,
        };
      }
      const bytes = size ?? head.length;
      if (size !== undefined && bytes < MIN_PDF_BYTES)
        return { type, refusal: `a PDF of ${bytes} bytes, too small to be a document (at least ${MIN_PDF_BYTES})` };
      if (tail && indexOf(tail, PDF_EOF) < 0) return { type, refusal: 'a PDF without its end marker %%EOF (truncated?)' };
      return { type };
    }
    case 'jpeg':
      if (!isJpegMarker(head[3])) return { type, refusal: 'a JPEG start of image (FF D8 FF) not followed by a JPEG segment marker' };
      if (tail && indexOf(tail, JPEG_EOI) < 0) return { type, refusal: 'a JPEG without its end-of-image marker (FF D9) (truncated?)' };
      return { type };
    case 'png':
      if (!startsWith(head, PNG)) return { type, refusal: 'a PNG signature not followed by the IHDR header chunk' };
      if (tail && indexOf(tail, PNG_IEND) < 0) return { type, refusal: 'a PNG without its IEND end chunk (truncated?)' };
      return { type };
    case 'ofd':
      return { type };
    case 'zip':
      return { type, refusal: 'a ZIP archive without OFD.xml (e.g. a Word or Excel file)' };
    default: {
      const pdfAt = indexOf(head.subarray(0, TAIL_BYTES), PDF);
      return pdfAt > 0
        ? { type, refusal: `content with a %PDF- header at byte ${pdfAt}, not at the start` }
        : { type, refusal: 'content of no allowed type (not PDF, JPEG, PNG or OFD)' };
    }
  }
}

/** The type of a file from its leading bytes: `judgeContent` without the reasons. */
export function sniffFileType(head: Uint8Array, size?: number): SniffedType {
  const { type, refusal } = judgeContent(head, size);
  return refusal === undefined ? type : type === 'zip' ? 'zip' : type === 'markup' ? 'markup' : 'unknown';
}

/**
 * The MIME type of an evidence file as the type check judged it (`application/pdf`, `image/jpeg`,
 * `image/png`, `application/ofd`), or undefined when the check refuses the content: what a
 * presigned link may name as the response's Content-Type.
 */
export function contentTypeOf(head: Uint8Array, size?: number): string | undefined {
  const { type, refusal } = judgeContent(head, size);
  return refusal === undefined && type in MIME_TYPES ? MIME_TYPES[type as EvidenceType] : undefined;
}

/** The evidence type a file name's extension claims, if any. */
export function typeOfExtension(fileName: string): EvidenceType | undefined {
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  return (Object.keys(EXTENSIONS) as EvidenceType[]).find((t) => EXTENSIONS[t].includes(ext));
}

/** How many leading bytes `reportFormatRefusal` needs: the ZIP entries it looks for come first. */
export const REPORT_HEAD_BYTES = 4096;

const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ODF_MIMETYPE = 'application/vnd.oasis.opendocument.';

/** A format people save reports in that cannot be read as a table, in both languages. */
interface Refused {
  readonly en: string;
  readonly zh: string;
}

/**
 * Extensions of office formats that are not read; a report so named is still read (up to the
 * report size limit) so that the refusal names what it holds, not only what it is called.
 */
export const REFUSED_REPORT_EXTENSIONS = ['xls', 'et', 'ods', 'numbers', 'pdf', 'xlsb', 'xlsm', 'wps', 'docx', 'doc', 'ofd'] as const;

/** The first ZIP entry's stored content when it is `mimetype` (ODF writes it first, uncompressed). */
function odfMimetype(head: Uint8Array): string | undefined {
  if (!startsWith(head, ZIP_LOCAL_HEADER) || head.length < 30) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const method = view.getUint16(8, true);
  const size = view.getUint32(18, true);
  const nameLength = view.getUint16(26, true);
  const extraLength = view.getUint16(28, true);
  const name = new TextDecoder().decode(head.subarray(30, 30 + nameLength));
  const start = 30 + nameLength + extraLength;
  if (name !== 'mimetype' || method !== 0 || size > 200 || start + size > head.length) return undefined;
  return new TextDecoder('latin1').decode(head.subarray(start, start + size)).trim();
}

function refusedByContent(head: Uint8Array, ext: string): Refused | undefined {
  if (startsWith(head, OLE2)) {
    // The directory that would tell .xls from .et or an encrypted .xlsx lies beyond the head; the name hints.
    if (ext === 'et') return { en: 'a WPS spreadsheet (.et, an OLE2 compound file)', zh: 'WPS 表格文件（.et，OLE2 复合文档）' };
    return {
      en: 'an Excel 97–2003 workbook (.xls), a WPS .et file or a password-protected workbook (an OLE2 compound file)',
      zh: 'Excel 97-2003 工作簿（.xls）、WPS 表格（.et）或加密的工作簿（OLE2 复合文档）',
    };
  }
  if (startsWith(head, PDF)) return { en: 'a PDF document', zh: 'PDF 文档' };
  if (startsWith(head, ZIP_LOCAL_HEADER)) {
    const mimetype = odfMimetype(head);
    if (mimetype === `${ODF_MIMETYPE}spreadsheet`) return { en: 'an OpenDocument spreadsheet (.ods)', zh: 'OpenDocument 电子表格（.ods）' };
    if (mimetype?.startsWith(ODF_MIMETYPE)) return { en: `an OpenDocument file (${mimetype})`, zh: `OpenDocument 文件（${mimetype}）` };
    const names = zipEntryNames(head);
    if (names.some((n) => n.startsWith('Index/'))) return { en: 'an Apple Numbers document (.numbers)', zh: 'Apple Numbers 文稿（.numbers）' };
    if (names.some((n) => n.startsWith('word/'))) return { en: 'a Word document (.docx)', zh: 'Word 文档（.docx）' };
    if (names.some((n) => n.toLowerCase() === 'ofd.xml')) return { en: 'an OFD document', zh: 'OFD 版式文档' };
    if (names.some((n) => n === 'xl/workbook.bin')) return { en: 'an Excel binary workbook (.xlsb)', zh: 'Excel 二进制工作簿（.xlsb）' };
  }
  return undefined;
}

/**
 * Why a report file cannot be read, judged from its name and its first bytes (at least
 * REPORT_HEAD_BYTES of them, or the whole file if shorter): an issue `EVD-FILE-FORMAT-UNSUPPORTED`
 * naming the format found by content (or, when the content is none of them, by the extension),
 * or undefined when the file may be read as CSV, XLSX or JSON. The CLI calls it before uploading;
 * the validator calls it before reading.
 */
export function reportFormatRefusal(fileName: string, head: Uint8Array): Issue | undefined {
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  const byContent = refusedByContent(head, ext);
  const named = (REFUSED_REPORT_EXTENSIONS as readonly string[]).includes(ext) && fileName.includes('.');
  const refused = byContent ?? (named ? { en: `a file named .${ext}`, zh: `扩展名为 .${ext} 的文件` } : undefined);
  if (!refused) return undefined;
  // Renamed (an .xls saved as report.xlsx): the name is said too, so the sender sees why it did not help.
  const renamed = byContent !== undefined && fileName.includes('.') && !byContent.en.includes(`.${ext}`);
  return issueOf('EVD-FILE-FORMAT-UNSUPPORTED', {
    field: 'report',
    expected: 'XLSX or CSV (or JSON)',
    found: renamed ? `${refused.en}, named .${ext}` : refused.en,
    zh: { found: renamed ? `${refused.zh}，文件名却为 .${ext}` : refused.zh, expected: 'XLSX 或 CSV（或 JSON）' },
  });
}
