/**
 * iconv-lite's `decode`, as shared/domain/report-table.ts uses it for a GB18030 CSV, on the
 * browser's own TextDecoder (every browser decodes GB18030): the web build aliases `iconv-lite`
 * here (web/vite.config.ts) instead of shipping its code tables. Like iconv-lite, bytes that do
 * not decode become U+FFFD, which the reader takes as "not GB18030 either".
 */
export default {
  decode: (bytes: Uint8Array, encoding: string): string => new TextDecoder(encoding).decode(bytes),
};
