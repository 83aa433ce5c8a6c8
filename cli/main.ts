/**
 * `evidence` — the command line for enterprises (deposit, status), reviewers and departments.
 * Each command group lives in cli/commands/ (the reviewer's in cli/review/) and is registered here,
 * every one by name, in the order `evidence --help` lists them.
 *
 * One place decides how the process ends: commander's own errors (an unknown option, a missing or
 * invalid argument) exit 2 after commander has printed them; a CliError prints its one line and
 * exits with its code; anything else is a fault: one line, exit 1, no stack (EVIDENCE_DEBUG=1 shows it).
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerAuthCommands } from './commands/auth.ts';
import { registerChecksCommand } from './commands/checks.ts';
import { registerDepositCommands } from './commands/deposit.ts';
import { registerDlqCommands } from './commands/dlq.ts';
import { registerReconcileCommand } from './commands/reconcile.ts';
import { registerReceiptCommands } from './commands/receipt.ts';
import { registerSummaryCommands } from './commands/summary.ts';
import { registerTemplateCommand } from './commands/template.ts';
import { registerReviewCommands } from './review/commands.ts';
import { CliError, EXIT, EXIT_CODES_HELP } from './exit-codes.ts';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('evidence')
  .description('Monthly evidence deposit (月度信息化存证): sign in, deposit, check status, review, and read the nightly rates / 登录、提交、查询、审核、汇总')
  .version(version, '-V, --version', 'print the version (版本)')
  .showHelpAfterError('(evidence <command> --help 查看用法 / for usage)')
  // Set before the commands are added: subcommands inherit both.
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text) })
  .addHelpText('after', EXIT_CODES_HELP);

for (const register of [
  registerAuthCommands,
  registerDepositCommands,
  registerChecksCommand,
  registerSummaryCommands,
  registerTemplateCommand,
  registerReviewCommands,
  registerDlqCommands,
  registerReceiptCommands,
  registerReconcileCommand,
])
  register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and --version end with 0; every other commander error is a usage error, already printed.
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else if (error instanceof CliError) {
    console.error(`evidence: ${error.message}`);
    process.exitCode = error.exitCode;
  } else {
    console.error(`evidence: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.EVIDENCE_DEBUG && error instanceof Error && error.stack) console.error(error.stack);
    process.exitCode = EXIT.error;
  }
}
