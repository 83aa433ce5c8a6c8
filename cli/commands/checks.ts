/**
 * `evidence checks [--industry <code>] [--json]`: the check catalogue (or the checks that judge one
 * industry's deposits), as a table for people or JSON for tools. `renderChecksMarkdown` produces
 * docs/checks.md from the same entries and the industry catalogues (scripts/checks-doc.ts), so
 * the documentation cannot drift from the code.
 */
import Table from 'cli-table3';
import type { Command } from 'commander';
import { DEFAULT_CHECK_SETTINGS } from '#domain/check-settings.ts';
import { CHECKS, type CheckDefinition } from '#domain/checks.ts';
import { crossCheckSeverity } from '#domain/catalogue.ts';
import type { Certainty, DefaultValue, IndustryCatalogue, IndustryParameter, Requirement } from '#domain/industry.ts';
import { INDUSTRIES, INDUSTRY_CODES, industryCatalogue } from '#domain/industries/index.ts';
import { CategorySchema } from '#domain/issues.ts';
import { UsageError } from '#cli/exit-codes.ts';
import { colourWanted } from '#cli/terminal.ts';

/** A catalogue entry as data: everything but the rule's code. */
export interface CatalogueEntry {
  readonly code: string;
  readonly severity: CheckDefinition['severity'];
  readonly category: CheckDefinition['category'];
  readonly rationale: string;
  readonly message: { readonly zh: string; readonly en: string };
  /** Raised by a rule over the parsed report, or by the stage that reads the file. */
  readonly raisedBy: 'rule' | 'reader';
  /** The industries whose deposits it judges; absent: every industry. */
  readonly industries?: readonly string[];
}

/**
 * The catalogue, or with `industry` the checks that judge that industry's deposits: those for
 * every industry and those naming it. An industry no catalogue has is a usage error.
 */
export function catalogue(industry?: string): CatalogueEntry[] {
  if (industry !== undefined && !industryCatalogue(industry))
    throw new UsageError(`未知行业 ${industry}（可用：${INDUSTRY_CODES.join('、')}） / unknown industry "${industry}" (known: ${INDUSTRY_CODES.join(', ')})`);
  return CHECKS.filter((c) => industry === undefined || c.industries === undefined || c.industries.includes(industry)).map((c) => ({
    code: c.code,
    severity: c.severity,
    category: c.category,
    rationale: c.rationale,
    message: { zh: c.message.zh, en: c.message.en },
    raisedBy: c.run ? 'rule' : 'reader',
    ...(c.industries ? { industries: [...c.industries] } : {}),
  }));
}

export function registerChecksCommand(program: Command): void {
  program
    .command('checks')
    .description('list the check catalogue: code, severity, category, rationale and messages / 检查项目录')
    .option('--industry <code>', `only the checks that judge one industry's deposits (${INDUSTRY_CODES.join(', ')}) / 仅列出判定该行业存证的检查项`)
    .option('--json', 'print the catalogue as JSON')
    .action((options: { json?: boolean; industry?: string }) => {
      const entries = catalogue(options.industry);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
        return;
      }
      const width = Math.max(60, Math.min(process.stdout.columns ?? 160, 200));
      const table = new Table({
        head: ['code', 'severity', 'category', 'message (zh / en)', 'rationale'],
        wordWrap: true,
        colWidths: [30, 10, 14, Math.floor((width - 60) / 2), Math.floor((width - 60) / 2)],
        // cli-table3 colours its header red and its borders grey by default, terminal or not.
        ...(colourWanted() ? {} : { style: { head: [], border: [] } }),
      });
      for (const e of entries)
        table.push([
          e.industries ? `${e.code}\n(${e.industries.join(', ')})` : e.code,
          e.severity,
          e.category,
          `${e.message.zh}\n${e.message.en}`,
          e.rationale,
        ]);
      const scope = options.industry ? ` judge ${industryCatalogue(options.industry)?.en} deposits` : '';
      process.stdout.write(
        `${table.toString()}\n${entries.length} checks${scope}. Severity: error blocks acceptance; warning needs a reviewer; info informs.\n`,
      );
    });
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** How sure a figure is, as the docs say it: an estimate is marked as one everywhere it appears. */
function sureness(certainty: Certainty): string {
  return certainty === 'est' ? "[est] **estimate**, awaiting the guideline's tables" : `[${certainty}]`;
}

function requirementText(required: Requirement): string {
  if (required === 'always') return 'required';
  if (required === 'optional') return 'optional';
  return `required when ${Object.entries(required.when)
    .map(([attribute, values]) => `${attribute} is ${values.join(' or ')}`)
    .join(', ')}`;
}

function defaultText(d: DefaultValue | undefined, unit: string): string {
  if (!d) return '—';
  if ('value' in d) return `${d.value} ${unit} ${sureness(d.certainty)}`;
  const values = 'byFacility' in d ? d.values : d.byMaterial;
  const by = 'byFacility' in d ? `by ${d.byFacility}: ` : 'by material: ';
  return `${by}${Object.entries(values)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')} ${unit} ${sureness(d.certainty)}`;
}

function typicalText(p: IndustryParameter): string {
  const parts: string[] = [];
  if (p.typical) parts.push(`${p.typical.min}–${p.typical.max} ${p.unit} ${sureness(p.typical.certainty)}`);
  for (const [material, b] of Object.entries(p.typicalByMaterial ?? {})) parts.push(`${material} ${b.min}–${b.max} ${sureness(b.certainty)}`);
  return parts.length > 0 ? parts.join('; ') : '—';
}

function perMaterialText(catalogue: IndustryCatalogue, p: IndustryParameter): string {
  if (!p.perMaterial) return '—';
  return p.perMaterial
    .map((role) => {
      const materials = catalogue.materials.filter((m) => m.role === role).map((m) => `${m.code} (${m.zh})`);
      return `${role}: ${materials.join(', ') || '(none)'}`;
    })
    .join('; ');
}

/** One industry's section of docs/checks.md: its level and guideline, its parameters, its cross-checks and what is not yet verified. */
function industrySection(catalogue: IndustryCatalogue): string[] {
  const lines: string[] = [
    `## Industry: ${catalogue.zh} ${catalogue.en} (\`${catalogue.code}\`)`,
    '',
    `- Level (one facility of the registry): ${catalogue.level.zh} / ${catalogue.level.en}`,
    `- Guideline: ${catalogue.guideline}`,
    `- Monthly since: ${catalogue.obligedFrom}`,
    `- Lab report: ${
      catalogue.labReport === 'always-for'
        ? `always, for ${Object.entries(catalogue.labReportFor ?? {})
            .map(([a, v]) => `${a} ${v.join(' or ')}`)
            .join(', ')}`
        : 'when a composition is measured (EVD-LAB-REPORT-MEASURED)'
    }`,
    `- Checks that judge its deposits: \`npx evidence checks --industry ${catalogue.code}\``,
    '',
    "Sureness: [rule] read in a published MEE text; [impl] taken from software implementing the guideline; [est] an engineering estimate awaiting the guideline's tables, used only for a configurable warning, never an error.",
    '',
    '### Parameters',
    '',
    '| code | 中文 | English | unit | required | per material | basis | default | range (error) | typical (warning) | evidence |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const p of catalogue.parameters) {
    const range = p.range ? `${p.range.min}–${p.range.max} ${p.unit}` : '—';
    const evidence = p.evidence ? `${p.evidence.zh} / ${p.evidence.en}` : '—';
    const unit = p.gas ? `${p.unit} (gas: ${p.gas.unit})` : p.unit;
    const flags = [p.auxiliary ? 'auxiliary' : '', p.composition ? 'composition' : ''].filter((f) => f !== '').join(', ');
    lines.push(
      `| \`${p.code}\` | ${cell(p.zh)} | ${cell(p.en)}${flags ? ` (${flags})` : ''} | ${cell(unit)} | ${requirementText(p.required)} | ${cell(perMaterialText(catalogue, p))} | ${p.basis} | ${cell(defaultText(p.default, p.unit))} | ${cell(range)} | ${cell(typicalText(p))} | ${cell(evidence)} |`,
    );
  }
  lines.push('', '### Cross-checks', '');
  if (catalogue.crossChecks.length === 0) {
    lines.push(`None in the catalogue: ${catalogue.en}'s relations are its own rules in the tables above.`);
  } else {
    lines.push(
      '(Each is a check of the catalogue above, under the same code.)',
      '',
      '| code | 中文 | English | band | certainty | severity | reads last month |',
      '|---|---|---|---|---|---|---|',
    );
    for (const c of catalogue.crossChecks) {
      const band = c.band ? `${c.band.min}–${c.band.max}` : `exact (tolerance ${c.tolerance ?? 0})`;
      lines.push(`| ${c.code} | ${cell(c.zh)} | ${cell(c.en)} | ${band} | ${sureness(c.certainty)} | ${crossCheckSeverity(c)} | ${c.history ? 'yes' : 'no'} |`);
    }
  }
  lines.push('', '### Not yet verified', '');
  if (catalogue.unverified.length === 0) lines.push('Nothing listed.');
  for (const item of catalogue.unverified) lines.push(`- ${item}`);
  lines.push('');
  return lines;
}

/** docs/checks.md: the catalogue grouped by category, then the default thresholds. */
export function renderChecksMarkdown(): string {
  const entries = catalogue();
  const lines: string[] = [
    '# The check catalogue (校验规则目录)',
    '',
    '<!-- Generated by `node --import tsx scripts/checks-doc.ts` from shared/domain/checks.ts. Do not edit by hand: a test fails when this file is stale. -->',
    '',
    'Every problem the validator reports has a stable code, a severity and a message in Chinese and English.',
    '',
    '- **error** blocks acceptance: the deposit is returned to the enterprise.',
    "- **warning** needs a reviewer's judgement: the deposit goes to review.",
    '- **info** only informs.',
    '',
    'Each issue in a validation report also says where the problem is (`unitId`, `field`, `row`, `cell`), what was `expected` and what was `found`, ',
    'in the shape of a [Frictionless Data validation report](https://framework.frictionlessdata.io/docs/guides/validating-data.html). ',
    '"Raised by" says whether a rule over the parsed report raises it, or the stage that reads the file (key, size, encoding, table).',
    '',
    `${entries.length} checks. \`npx evidence checks\` prints the same list; \`--json\` prints it as JSON; \`--industry <code>\` lists only the checks that judge one industry's deposits ("industries": all, or the ones named).`,
    '',
  ];
  for (const category of CategorySchema.options) {
    const inCategory = entries.filter((e) => e.category === category);
    if (inCategory.length === 0) continue;
    lines.push(
      `## ${category}`,
      '',
      '| code | severity | raised by | industries | message (中文) | message (English) | rationale |',
      '|---|---|---|---|---|---|---|',
    );
    for (const e of inCategory) {
      const industries = e.industries ? e.industries.join(', ') : 'all';
      lines.push(`| \`${e.code}\` | ${e.severity} | ${e.raisedBy} | ${industries} | ${cell(e.message.zh)} | ${cell(e.message.en)} | ${cell(e.rationale)} |`);
    }
    lines.push('');
  }
  for (const industry of INDUSTRIES) lines.push(...industrySection(industry));
  lines.push(
    '## Thresholds (`CheckSettings`)',
    '',
    'Ranges and bands are auditor practice, not rule, so they are configurable: pass a partial object to `CheckSettingsSchema.parse` ',
    "(shared/domain/check-settings.ts); omitted values keep these defaults. `industries.<code>` holds the other industries' ranges, typical bands, ",
    'cross-check bands (`min`, `max`, `tolerance`, `enabled`) and month-over-month change bands, by key (`ncv[coke]`) or parameter code, filled from their catalogues.',
    '',
    '```json',
    JSON.stringify(DEFAULT_CHECK_SETTINGS, null, 2),
    '```',
    '',
  );
  return lines.join('\n');
}
