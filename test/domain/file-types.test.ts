import { describe, expect, it } from 'vitest';
import { contentTypeOf, EVIDENCE_HEAD_BYTES, judgeContent, MIN_PDF_BYTES, sniffFileType, typeOfExtension } from '#domain/file-types.ts';
import { jpegBytes, ofdBytes, pdfBytes, pngBytes, zipBytes } from '#examples/demo.ts';

const ascii = (text: string) => new TextEncoder().encode(text);
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
/** What the pipeline passes: the first EVIDENCE_HEAD_BYTES and the size. */
const judge = (bytes: Uint8Array) => judgeContent(bytes.subarray(0, EVIDENCE_HEAD_BYTES), bytes.length);

describe('evidence files are recognised by content, not name', () => {
  it.each([
    ['a PDF', pdfBytes('x'), 'pdf'],
    ['a JPEG', jpegBytes('x'), 'jpeg'],
    ['a PNG', pngBytes('x'), 'png'],
    ['an OFD package (a ZIP with OFD.xml)', ofdBytes('x'), 'ofd'],
    [
      'an OFD package whose OFD.xml is not the first entry',
      zipBytes([
        { name: 'Doc_0/Document.xml', data: ascii('<?xml version="1.0"?><d/>') },
        { name: 'OFD.xml', data: ascii('<o/>') },
      ]),
      'ofd',
    ],
    ['a Word document (a ZIP without OFD.xml)', zipBytes([{ name: 'word/document.xml', data: ascii('<w/>') }]), 'zip'],
    ['plain text', ascii('hello'), 'unknown'],
    ['nothing', new Uint8Array(), 'unknown'],
  ] as const)('%s is %s', (_name, bytes, expected) => {
    expect(sniffFileType(bytes, bytes.length)).toBe(expected);
  });

  it('a truncated ZIP header does not throw', () => {
    expect(sniffFileType(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14]))).toBe('zip');
  });

  it.each([
    ['scan.PDF', 'pdf'],
    ['photo.jpeg', 'jpeg'],
    ['photo.JPG', 'jpeg'],
    ['invoice.ofd', 'ofd'],
    ['notes.docx', undefined],
  ] as const)('the extension of %s claims %s', (name, expected) => {
    expect(typeOfExtension(name)).toBe(expected);
  });
});

describe('content that only starts like an allowed type is refused, with the reason', () => {
  const page = pdfBytes('ledger');
  it.each([
    [
      'an HTML page with %PDF- in a comment',
      ascii(`<!-- %PDF-1.7 -->\n<html><body><script>alert(1)</script></body></html>${' '.repeat(300)}`),
      'markup',
      /markup \(<!--\) at byte 0/,
    ],
    [
      'a PDF whose body is an HTML page',
      concat(ascii('%PDF-1.7\n'), ascii('<html><script>fetch("/")</script></html>'), page.subarray(9)),
      'markup',
      /markup \(<html\) at byte 9/,
    ],
    ['a PNG whose text chunk carries a script', pngBytes('<script src=//x></script>'), 'markup', /<script/],
    ['a JPEG whose comment is an SVG', jpegBytes('<svg onload=alert(1)>'), 'markup', /<svg/],
    ['a PDF carrying an XML declaration', concat(page.subarray(0, 20), ascii('<?xml version="1.0"?>'), page.subarray(20)), 'markup', /<\?xml/],
    ['a 5-byte %PDF- file', ascii('%PDF-'), 'pdf', /without a version/],
    ['a %PDF-1.7 file of a few bytes', ascii('%PDF-1.7\n%%EOF\n'), 'pdf', new RegExp(`PDF of 15 bytes.*at least ${MIN_PDF_BYTES}`)],
    ['a PDF cut before its %%EOF', page.subarray(0, page.length - 7), 'pdf', /without its end marker/],
    ['a PDF a scanner prefixed with junk', concat(ascii('\r\n\r\nJUNK'), page), 'unknown', /%PDF- header at byte 8, not at the start/],
    ['FF D8 FF and no JPEG marker', new Uint8Array([0xff, 0xd8, 0xff, 0x00, 0x01, 0xff, 0xd9]), 'jpeg', /not followed by a JPEG segment marker/],
    ['a JPEG cut before its end of image', jpegBytes('photo').subarray(0, 20), 'jpeg', /end-of-image/],
    ['a PNG signature without IHDR', concat(pngBytes('x').subarray(0, 8), ascii('\0\0\0\x04tEXtabcd')), 'png', /IHDR/],
    ['a PNG cut before IEND', pngBytes('x').subarray(0, 60), 'png', /IEND/],
    ['a Word document', zipBytes([{ name: 'word/document.xml', data: ascii('<w/>') }]), 'zip', /ZIP archive without OFD\.xml/],
    [
      'an OFD-looking ZIP holding an HTML page',
      zipBytes([
        { name: 'OFD.xml', data: ascii('<o/>') },
        { name: 'index.html', data: ascii('<html><script>x()</script></html>') },
      ]),
      'markup',
      /<html/,
    ],
  ] as const)('%s', (_name, bytes, type, reason) => {
    const judged = judge(bytes);
    expect(judged.type).toBe(type);
    expect(judged.refusal).toMatch(reason);
    expect(contentTypeOf(bytes.subarray(0, EVIDENCE_HEAD_BYTES), bytes.length)).toBeUndefined();
  });

  it('takes a head shorter than EVIDENCE_HEAD_BYTES, without a size, as the whole file', () => {
    expect(contentTypeOf(ascii('%PDF-1.7\n%%EOF\n'))).toBeUndefined();
    expect(judgeContent(pdfBytes('x').subarray(0, 100)).refusal).toMatch(/without its end marker/);
  });

  it('judges a large file by its head alone: its end is not checked, since the pipeline never sees it', () => {
    // A 5 MB scan: the head is the first 4 KiB, without %%EOF.
    const head = concat(page.subarray(0, page.length - 7), new Uint8Array(EVIDENCE_HEAD_BYTES));
    expect(judgeContent(head.subarray(0, EVIDENCE_HEAD_BYTES), 5_000_000)).toEqual({ type: 'pdf' });
  });
});

describe('contentTypeOf names the MIME type a presigned link may serve', () => {
  it.each([
    ['a PDF', pdfBytes('x'), 'application/pdf'],
    ['a JPEG', jpegBytes('x'), 'image/jpeg'],
    ['a PNG', pngBytes('x'), 'image/png'],
    ['an OFD package', ofdBytes('x'), 'application/ofd'],
    ['a Word document', zipBytes([{ name: 'word/document.xml', data: ascii('<w/>') }]), undefined],
    ['plain text', ascii('hello'), undefined],
  ] as const)('%s: %s', (_name, bytes, expected) => {
    expect(contentTypeOf(bytes.subarray(0, EVIDENCE_HEAD_BYTES))).toBe(expected);
    expect(contentTypeOf(bytes.subarray(0, EVIDENCE_HEAD_BYTES), bytes.length)).toBe(expected);
  });
});
