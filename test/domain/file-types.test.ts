import { describe, expect, it } from 'vitest';
import { sniffFileType, typeOfExtension } from '#domain/file-types.ts';
import { jpegBytes, ofdBytes, pdfBytes, pngBytes, zipBytes } from '../../examples/demo.ts';

const ascii = (text: string) => new TextEncoder().encode(text);

describe('evidence files are recognised by content, not name', () => {
  it.each([
    ['a PDF', pdfBytes('x'), 'pdf'],
    ['a JPEG', jpegBytes('x'), 'jpeg'],
    ['a PNG', pngBytes('x'), 'png'],
    ['an OFD package (a ZIP with OFD.xml)', ofdBytes('x'), 'ofd'],
    ['an OFD package whose OFD.xml is not the first entry', zipBytes([{ name: 'Doc_0/Document.xml', data: ascii('<d/>') }, { name: 'OFD.xml', data: ascii('<o/>') }]), 'ofd'],
    ['a Word document (a ZIP without OFD.xml)', zipBytes([{ name: 'word/document.xml', data: ascii('<w/>') }]), 'zip'],
    ['a PDF a scanner prefixed with junk', new Uint8Array([...ascii('\r\n\r\nJUNK'), ...pdfBytes('x')]), 'pdf'],
    ['plain text', ascii('hello'), 'unknown'],
    ['nothing', new Uint8Array(), 'unknown'],
  ] as const)('%s is %s', (_name, bytes, expected) => {
    expect(sniffFileType(bytes)).toBe(expected);
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
