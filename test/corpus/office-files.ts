/**
 * Reports as office software really saves them: the files in ./office, produced by LibreOffice
 * (headless) from the sources beside them (see office/README.md for the commands). They are
 * committed, so neither CI nor the twin needs LibreOffice.
 */
import { readFileSync } from 'node:fs';
import { pdfBytes, zipBytes } from '#examples/demo.ts';
import type { CorpusFile } from './cases.ts';

const office = (name: string) => new Uint8Array(readFileSync(new URL(`./office/${name}`, import.meta.url)));

/** A committed office file, uploaded under `fileName`. */
export const officeFile = (name: string, fileName: string = name): CorpusFile => ({ fileName, bytes: office(name) });

/** An Apple Numbers document's container: a ZIP whose entries sit under `Index/` (the .iwa parts). */
export function numbersFile(): CorpusFile {
  const part = (name: string) => ({ name, data: new TextEncoder().encode(`${name} (protobuf, snappy-framed)`) });
  return { fileName: '月度存证.numbers', bytes: zipBytes([part('Index/Document.iwa'), part('Index/Metadata.iwa'), part('Metadata/Properties.plist')]) };
}

/** A report exported as a PDF (print to PDF from the spreadsheet). */
export const pdfReport = (): CorpusFile => ({ fileName: 'report.pdf', bytes: pdfBytes('2026年3月 重点参数月度存证表') });
