/** Writes docs/checks.md from the check catalogue. Run: node --import tsx scripts/checks-doc.ts */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderChecksMarkdown } from '#cli/commands/checks.ts';

const target = fileURLToPath(new URL('../docs/checks.md', import.meta.url));
writeFileSync(target, renderChecksMarkdown());
console.log(`wrote ${target}`);
