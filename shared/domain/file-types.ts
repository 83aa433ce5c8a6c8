/**
 * Recognising an evidence file by its first bytes, not its name: a renamed Word file or a
 * screenshot saved as `.pdf` is caught here. OFD (the Chinese fixed-layout format, GB/T 33190)
 * is a ZIP whose entries include `OFD.xml`; producers write it first, so its local header sits
 * in the first few hundred bytes.
 */
import type { EvidenceType } from './check-settings.ts';

/** How many leading bytes the pipeline passes for each evidence file (`EvidenceFile.head`). */
export const EVIDENCE_HEAD_BYTES = 4096;

export type SniffedType = EvidenceType | 'zip' | 'unknown';

const EXTENSIONS: Readonly<Record<EvidenceType, readonly string[]>> = {
  pdf: ['pdf'],
  jpeg: ['jpg', 'jpeg'],
  png: ['png'],
  ofd: ['ofd'],
};

function startsWith(head: Uint8Array, bytes: readonly number[], offset = 0): boolean {
  return head.length >= offset + bytes.length && bytes.every((b, i) => head[offset + i] === b);
}

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const ZIP_LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04];

/** Names of the ZIP entries whose local headers lie wholly inside `head`. */
function zipEntryNames(head: Uint8Array): string[] {
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

/** The type of a file from its leading bytes. */
export function sniffFileType(head: Uint8Array): SniffedType {
  // PDF readers accept the header anywhere in the first 1024 bytes; scanners sometimes prepend junk.
  if (startsWith(head, PDF)) return 'pdf';
  if (startsWith(head, JPEG)) return 'jpeg';
  if (startsWith(head, PNG)) return 'png';
  if (startsWith(head, ZIP_LOCAL_HEADER)) {
    return zipEntryNames(head).some((n) => n.replace(/^\.?\//, '').toLowerCase() === 'ofd.xml') ? 'ofd' : 'zip';
  }
  const window = head.subarray(0, 1024);
  for (let i = 1; i + PDF.length <= window.length; i++) if (startsWith(window, PDF, i)) return 'pdf';
  return 'unknown';
}

/** The evidence type a file name's extension claims, if any. */
export function typeOfExtension(fileName: string): EvidenceType | undefined {
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  return (Object.keys(EXTENSIONS) as EvidenceType[]).find((t) => EXTENSIONS[t].includes(ext));
}
