/**
 * A complete, valid monthly deposit for the demo enterprise: the report (as a `MonthlyReport`,
 * to be written in any format) and its evidence files (tiny but real PDF, PNG, JPEG and OFD
 * containers, so the magic-byte checks see what a scanner produces). Values vary by month so
 * consecutive demo months do not trip the history signals, and every cross-check holds:
 * carbon per heat = C ÷ NCV, NCV ≈ Mendeleev(C, H, S, Mt), net coal rate ≈ 300 gce/kWh,
 * load factor = generation ÷ (capacity × hours).
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { type ParameterCode, unitFactor } from '#domain/parameters.ts';
import { addMonths, parsePeriod } from '#domain/period.ts';
import type { MeasuredValue, MonthlyReport, UnitReport } from '#domain/report.ts';
import { DEMO_ENTERPRISE, DEMO_ENTERPRISE_ID, DEMO_PERIOD } from './enterprise.ts';

export { DEMO_ENTERPRISE, DEMO_ENTERPRISE_ID, DEMO_PERIOD };

export interface DemoFile {
  readonly fileName: string;
  readonly bytes: Uint8Array;
}

const ascii = (text: string) => new TextEncoder().encode(text);

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A one-page PDF showing `text` (ASCII). */
export function pdfBytes(text: string): Uint8Array {
  const safe = text.replace(/[()\\]/g, ' ');
  const content = `BT /F1 14 Tf 72 770 Td (${safe}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return ascii(body);
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, data.length);
  const typed = concat([ascii(type), data]);
  const crc = new Uint8Array(4);
  new DataView(crc.buffer).setUint32(0, crc32(typed));
  return concat([length, typed, crc]);
}

/** An 8×8 grey PNG carrying `text` in a tEXt chunk. */
export function pngBytes(text: string): Uint8Array {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, 8);
  view.setUint32(4, 8);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const raw = new Uint8Array(8 * 9).map((_, i) => (i % 9 === 0 ? 0 : 200));
  return concat([
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('tEXt', ascii(`Comment\0${text}`)),
    pngChunk('IDAT', new Uint8Array(deflateSync(raw))),
    pngChunk('IEND', new Uint8Array()),
  ]);
}

/** JPEG markers only (SOI, APP0 JFIF, a comment, EOI): what the type check reads. */
export function jpegBytes(text: string): Uint8Array {
  const comment = ascii(text);
  const segment = (marker: number, data: Uint8Array) => concat([new Uint8Array([0xff, marker, (data.length + 2) >> 8, (data.length + 2) & 0xff]), data]);
  return concat([
    new Uint8Array([0xff, 0xd8]),
    segment(0xe0, new Uint8Array([0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0])),
    segment(0xfe, comment),
    new Uint8Array([0xff, 0xd9]),
  ]);
}

/** A stored (uncompressed) ZIP of the given entries. */
export function zipBytes(entries: readonly { name: string; data: Uint8Array }[]): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = ascii(name);
    const crc = crc32(data);
    const local = new Uint8Array(30 + nameBytes.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, data.length, true);
    lv.setUint32(22, data.length, true);
    lv.setUint16(26, nameBytes.length, true);
    local.set(nameBytes, 30);
    const central = new Uint8Array(46 + nameBytes.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, data.length, true);
    cv.setUint32(24, data.length, true);
    cv.setUint16(28, nameBytes.length, true);
    cv.setUint32(42, offset, true);
    central.set(nameBytes, 46);
    locals.push(local, data);
    centrals.push(central);
    offset += local.length + data.length;
  }
  const centralSize = centrals.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, centralSize, true);
  ev.setUint32(16, offset, true);
  return concat([...locals, ...centrals, end]);
}

/** A minimal OFD package (GB/T 33190): a ZIP whose first entry is OFD.xml. */
export function ofdBytes(text: string): Uint8Array {
  const ofdXml = `<?xml version="1.0" encoding="UTF-8"?>\n<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>${text}</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>\n`;
  const documentXml =
    '<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:CommonData><ofd:MaxUnitID>1</ofd:MaxUnitID></ofd:CommonData></ofd:Document>\n';
  return zipBytes([
    { name: 'OFD.xml', data: ascii(ofdXml) },
    { name: 'Doc_0/Document.xml', data: ascii(documentXml) },
  ]);
}

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The evidence file each parameter (and each unit's lab report) names in the demo report. */
export const DEMO_EVIDENCE_NAMES = {
  ledger: (unitId: string) => `unit${unitId}-ledger.pdf`,
  lab: (unitId: string) => `unit${unitId}-lab-report.pdf`,
  purchased: 'purchased-electricity.png',
  heat: 'heat-ledger.jpg',
  gas: 'unit3-gas-settlement.ofd',
} as const;

/** The demo deposit's evidence files for `period`: different bytes every month. */
export function demoEvidence(period: string = DEMO_PERIOD): DemoFile[] {
  const n = DEMO_EVIDENCE_NAMES;
  const label = (what: string) => `${DEMO_ENTERPRISE_ID} ${period} ${what}`;
  return [
    { fileName: n.ledger('1'), bytes: pdfBytes(label('unit 1 production ledger, stamped')) },
    { fileName: n.lab('1'), bytes: pdfBytes(label('unit 1 coal lab report CMA')) },
    { fileName: n.ledger('2'), bytes: pdfBytes(label('unit 2 production ledger, stamped')) },
    { fileName: n.lab('2'), bytes: pdfBytes(label('unit 2 coal lab report CMA')) },
    { fileName: n.ledger('3'), bytes: pdfBytes(label('unit 3 production ledger, stamped')) },
    { fileName: n.purchased, bytes: pngBytes(label('purchased electricity settlement')) },
    { fileName: n.heat, bytes: jpegBytes(label('heat supply ledger')) },
    { fileName: n.gas, bytes: ofdBytes(label('gas settlement')) },
  ];
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

interface CoalSample {
  readonly carbon: number;
  readonly hydrogen: number;
  readonly sulfur: number;
  readonly moisture: number;
  readonly ncv: number;
}

function measured(code: ParameterCode, declaredValue: number, declaredUnit: string, evidenceFile: string): MeasuredValue {
  const factor = unitFactor(code, declaredUnit);
  if (factor === undefined) throw new Error(`demo uses an unknown unit ${declaredUnit} for ${code}`);
  return { value: declaredValue * factor, declaredValue, declaredUnit, evidenceFile };
}

function coalUnit(unitId: string, capacityMW: number, hours: number, load: number, auxPercent: number, sample: CoalSample, period: string): UnitReport {
  const n = DEMO_EVIDENCE_NAMES;
  const generated = round((capacityMW * hours * load) / 100, 1);
  const supplied = round(generated * (1 - auxPercent / 100), 1);
  // 300 gce/kWh: coal (t) = 0.300 kgce/kWh × supplied (MWh) × 29.271 GJ/tce ÷ NCV.
  const coal = round((0.3 * supplied * 29.271) / sample.ncv, 1);
  const ledger = n.ledger(unitId);
  const lab = n.lab(unitId);
  return {
    unitId,
    parameters: {
      coalConsumed: measured('coalConsumed', coal, 't', ledger),
      ncvAsReceived: measured('ncvAsReceived', sample.ncv, 'GJ/t', lab),
      carbonAsReceived: measured('carbonAsReceived', sample.carbon, '%', lab),
      carbonPerHeat: measured('carbonPerHeat', round(sample.carbon / 100 / sample.ncv, 5), 'tC/GJ', lab),
      hydrogen: measured('hydrogen', sample.hydrogen, '%', lab),
      sulfur: measured('sulfur', sample.sulfur, '%', lab),
      moisture: measured('moisture', sample.moisture, '%', lab),
      purchasedElectricity: measured('purchasedElectricity', round(100 + hours / 10, 1), 'MWh', n.purchased),
      powerGenerated: measured('powerGenerated', generated, 'MWh', ledger),
      powerSupplied: measured('powerSupplied', supplied, 'MWh', ledger),
      heatSupplied: measured('heatSupplied', round(15_000 + hours * 3, 0), 'GJ', n.heat),
      operatingHours: measured('operatingHours', hours, 'h', ledger),
      loadFactor: measured('loadFactor', load, '%', ledger),
    },
    labReport: { reportNo: `JX-LAB-${period}-U${unitId}`, issuedOn: `${addMonths(period, 1)}-08`, evidenceFile: lab },
    unreadable: [],
  };
}

function gasUnit(unitId: string, capacityMW: number, hours: number, load: number): UnitReport {
  const n = DEMO_EVIDENCE_NAMES;
  const generated = round((capacityMW * hours * load) / 100, 1);
  const supplied = round(generated * 0.965, 1);
  const ledger = n.ledger(unitId);
  return {
    unitId,
    parameters: {
      gasConsumed: measured('gasConsumed', round(generated * 0.02, 2), '10^4Nm3', n.gas),
      purchasedElectricity: measured('purchasedElectricity', 80, 'MWh', n.purchased),
      powerGenerated: measured('powerGenerated', generated, 'MWh', ledger),
      powerSupplied: measured('powerSupplied', supplied, 'MWh', ledger),
      heatSupplied: measured('heatSupplied', 0, 'GJ', n.heat),
      operatingHours: measured('operatingHours', hours, 'h', ledger),
      loadFactor: measured('loadFactor', load, '%', ledger),
    },
    unreadable: [],
  };
}

/** Each evidence reference in `report` declares the SHA-256 of the file of that name in `evidence`. */
export function declareHashes(report: MonthlyReport, evidence: readonly DemoFile[]): MonthlyReport {
  const hashOf = (name: string | undefined) => {
    const file = name === undefined ? undefined : evidence.find((e) => e.fileName === name);
    return file ? { evidenceSha256: sha256Hex(file.bytes) } : {};
  };
  return {
    ...report,
    units: report.units.map((unit) => {
      const parameters: UnitReport['parameters'] = {};
      for (const [code, v] of Object.entries(unit.parameters) as [ParameterCode, MeasuredValue][]) {
        const { evidenceSha256: _old, ...rest } = v;
        parameters[code] = { ...rest, ...hashOf(v.evidenceFile) };
      }
      const lab = unit.labReport;
      const labWithoutHash = lab ? (({ evidenceSha256: _old, ...rest }) => rest)(lab) : undefined;
      return { ...unit, parameters, ...(labWithoutHash ? { labReport: { ...labWithoutHash, ...hashOf(lab?.evidenceFile) } } : {}) };
    }),
  };
}

/** The demo report for `period`, binding the given evidence files by SHA-256. */
export function demoReport(period: string = DEMO_PERIOD, evidence: readonly DemoFile[] = demoEvidence(period)): MonthlyReport {
  const v = parsePeriod(period).month % 5;
  const report: MonthlyReport = {
    enterpriseId: DEMO_ENTERPRISE_ID,
    period,
    units: [
      coalUnit(
        '1',
        600,
        620 + 5 * v,
        75 + v,
        5.5,
        { carbon: round(56 + 0.3 * v, 2), hydrogen: round(3.6 + 0.05 * v, 2), sulfur: 0.8, moisture: round(12 + 0.2 * v, 2), ncv: round(21 + 0.1 * v, 2) },
        period,
      ),
      coalUnit(
        '2',
        660,
        600 + 4 * v,
        70 + v,
        6,
        { carbon: round(54.5 + 0.3 * v, 2), hydrogen: 3.5, sulfur: 1.1, moisture: round(13 + 0.3 * v, 2), ncv: round(20.5 + 0.1 * v, 2) },
        period,
      ),
      gasUnit('3', 400, 500 + 6 * v, 60 + v),
    ],
  };
  return declareHashes(report, evidence);
}
