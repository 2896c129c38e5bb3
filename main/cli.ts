/** `npx fakturaflyt …`: one entry for the command groups (DESIGN.md "CLI"). */
import { run as runRules, type CliIo } from '../routing/cli.js';
import { runArchive } from '../archive/cli.js';
import { run as runPeppolRegistry } from '../channels/peppol/registry-cli.js';
import { runKeys } from './keys-cli.js';
import { runSend } from './send-cli.js';

const processIo: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), env: process.env };

export async function run(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  if (argv[0] === 'keys') return runKeys(argv, io);
  if (argv[0] === 'archive') return runArchive(argv, io);
  if (argv[0] === 'peppol') return runPeppolRegistry(argv, io);
  if (argv[0] === 'send') return runSend(argv, io);
  return runRules(argv, io);
}
