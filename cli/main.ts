/**
 * `evidence` — the command line for enterprises (deposit, status), reviewers and departments.
 * Each command group lives in cli/commands/ (the reviewer's in cli/review/) and is registered here,
 * every one by name, in the order `evidence --help` lists them.
 */
import { Command } from 'commander';
import { registerChecksCommand } from './commands/checks.ts';
import { registerDepositCommands } from './commands/deposit.ts';
import { registerDlqCommands } from './commands/dlq.ts';
import { registerReconcileCommand } from './commands/reconcile.ts';
import { registerReceiptCommands } from './commands/receipt.ts';
import { registerSummaryCommands } from './commands/summary.ts';
import { registerReviewCommands } from './review/commands.ts';

const program = new Command('evidence')
  .description('Monthly evidence deposit (月度信息化存证): deposit, check status, review, and read the nightly rates')
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text) });

for (const register of [
  registerDepositCommands,
  registerChecksCommand,
  registerSummaryCommands,
  registerReviewCommands,
  registerDlqCommands,
  registerReceiptCommands,
  registerReconcileCommand,
])
  register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(`evidence: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
