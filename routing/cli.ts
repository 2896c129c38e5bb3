/**
 * `fakturaflyt rules …`: the operations team's tools for the routing rules.
 *
 *   fakturaflyt rules lint [dir] [--strict]
 *   fakturaflyt rules test [dir]
 *   fakturaflyt rules explain [--rules dir] --facts facts.json
 *   fakturaflyt rules explain [--rules dir] --invoice invoice.json [--given facts.json]
 *   fakturaflyt rules what-if [--rules dir] --candidate dir --facts cases.jsonl [--fail-on-change]
 *   fakturaflyt rules facts
 *
 * Every command takes --json. dir defaults to $RULES_DIR, else `rules`. Exit codes: 0 ok, 1 lint errors or
 * failed tests (or, with --strict, warnings; with --fail-on-change, changes), 2 usage or unreadable input.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { isFatal, type ValidationIssue } from '../validation/issue.js';
import { decide } from './evaluate.js';
import { explainDecision } from './explain.js';
import { FACTS, describeFacts, mergeFacts } from './fact-schema.js';
import { factsFromInvoiceJson } from './invoice-facts.js';
import { lintRuleFolder } from './lint.js';
import { loadRuleSet, type LoadedRuleSet } from './load.js';
import { runRuleTests } from './rule-tests.js';
import { formatWhatIf, readWhatIfCases, whatIf } from './what-if.js';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
}

const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
};

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export const USAGE = `Usage:
  fakturaflyt rules lint [dir] [--strict] [--json]
  fakturaflyt rules test [dir] [--json]
  fakturaflyt rules explain [--rules dir] --facts facts.json [--json]
  fakturaflyt rules explain [--rules dir] --invoice invoice.json [--given facts.json] [--json]
  fakturaflyt rules what-if [--rules dir] --candidate dir --facts cases.jsonl [--fail-on-change] [--json]
  fakturaflyt rules facts [--json]
  fakturaflyt keys create --role <erp|ops|support|admin> [--supplier <org>]... | keys list | keys revoke <id>
  fakturaflyt send <file.json|file.xml|folder>...
  fakturaflyt archive verify [--supplier <org>] | archive export --supplier <org> --from <date> --to <date> --out <dir> | archive purge [--dry-run]

dir defaults to $RULES_DIR, else ./rules. Rule files: every *.yaml but *.test.yaml; see rules/README.md.
Exit codes: 0 ok, 1 lint errors or failed tests, 2 usage or unreadable input.
`;

class UsageError extends Error {}

function formatIssue(found: ValidationIssue): string {
  return `${found.path} ${found.rule} ${found.severity === 'warning' ? 'warning: ' : ''}${found.message}`;
}

function summary(issues: readonly ValidationIssue[]): string {
  const errors = issues.filter(isFatal).length;
  const warnings = issues.length - errors;
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read ${what} ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not JSON: ${(error as Error).message}`);
  }
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read ${what} ${path}: ${(error as Error).message}`);
  }
}

/** Loads a rule set or prints why it cannot, returning undefined. */
async function ruleSetOrReport(dir: string, io: CliIo, json: boolean): Promise<LoadedRuleSet | undefined> {
  const loaded = await loadRuleSet(dir);
  if (loaded.ruleSet) return loaded;
  if (json) io.out(`${JSON.stringify({ ok: false, dir, issues: loaded.issues }, null, 2)}\n`);
  else io.out(`${loaded.issues.map(formatIssue).join('\n')}\nThe rules in ${dir} do not load: ${summary(loaded.issues)}.\n`);
  return undefined;
}

type Values = Record<string, string | boolean | undefined>;

async function lint(dir: string, values: Values, io: CliIo): Promise<number> {
  const issues = await lintRuleFolder(dir);
  const failed = issues.some(isFatal) || (values.strict === true && issues.length > 0);
  if (values.json) io.out(`${JSON.stringify({ ok: !failed, dir, issues }, null, 2)}\n`);
  else io.out(`${issues.map((found) => `${formatIssue(found)}\n`).join('')}${dir}: ${summary(issues)}\n`);
  return failed ? EXIT_FAILED : EXIT_OK;
}

async function test(dir: string, values: Values, io: CliIo): Promise<number> {
  const loaded = await ruleSetOrReport(dir, io, values.json === true);
  if (!loaded?.ruleSet) return EXIT_FAILED;
  const ruleSet = loaded.ruleSet;
  const report = runRuleTests(ruleSet, loaded.folder.testFiles);
  const failed = report.failed > 0 || report.issues.some(isFatal);
  if (values.json) {
    const results = report.results.map(({ decision, ...result }) => ({ ...result, ...(decision ? { ruleId: decision.ruleId, plan: decision.plan } : {}) }));
    io.out(`${JSON.stringify({ ok: !failed, version: ruleSet.version, passed: report.passed, failed: report.failed, results, issues: report.issues }, null, 2)}\n`);
  } else {
    for (const found of report.issues) io.out(`${formatIssue(found)}\n`);
    const files = loaded.folder.testFiles.length;
    io.out(`${ruleSet.version}: ${report.passed} passed, ${report.failed} failed (${files} test file${files === 1 ? '' : 's'})\n`);
  }
  return failed ? EXIT_FAILED : EXIT_OK;
}

async function explain(values: Values, io: CliIo, rulesDir: string): Promise<number> {
  if ((values.facts === undefined) === (values.invoice === undefined)) throw new UsageError('explain needs --facts file.json or --invoice file.json (one of them).');
  let facts;
  let issues: ValidationIssue[] = [];
  if (typeof values.invoice === 'string') {
    const fromInvoice = factsFromInvoiceJson(await readJson(values.invoice, 'invoice'));
    issues = fromInvoice.issues.map((found) => ({ ...found, path: `${values.invoice}#${found.path}` }));
    if (!fromInvoice.facts) {
      io.out(`${issues.map(formatIssue).join('\n')}\nThe invoice cannot be read: ${summary(issues)}.\n`);
      return EXIT_USAGE;
    }
    facts = fromInvoice.facts;
    if (typeof values.given === 'string') {
      const merged = mergeFacts(await readJson(values.given, 'facts'), facts);
      if (merged.problems.length > 0) throw new UsageError(merged.problems.map((p) => `${values.given}#${p.pointer} ${p.message}`).join('\n'));
      facts = merged.facts;
    }
  } else {
    const merged = mergeFacts(await readJson(values.facts as string, 'facts'));
    if (merged.problems.length > 0) throw new UsageError(merged.problems.map((p) => `${values.facts}#${p.pointer} ${p.message}`).join('\n'));
    facts = merged.facts;
  }
  const ruleSet = (await ruleSetOrReport(rulesDir, io, values.json === true))?.ruleSet;
  if (!ruleSet) return EXIT_FAILED;
  const decision = decide(ruleSet, facts);
  if (values.json) io.out(`${JSON.stringify({ ok: true, facts, decision, issues }, null, 2)}\n`);
  else io.out(`${issues.map((found) => `${formatIssue(found)}\n`).join('')}${explainDecision(ruleSet, decision)}`);
  return EXIT_OK;
}

async function whatIfCommand(values: Values, io: CliIo, rulesDir: string): Promise<number> {
  if (typeof values.candidate !== 'string' || typeof values.facts !== 'string') throw new UsageError('what-if needs --candidate dir and --facts cases.jsonl.');
  const cases = readWhatIfCases(await readText(values.facts, 'cases'), values.facts);
  const current = (await ruleSetOrReport(rulesDir, io, values.json === true))?.ruleSet;
  if (!current) return EXIT_FAILED;
  const candidate = (await ruleSetOrReport(values.candidate, io, values.json === true))?.ruleSet;
  if (!candidate) return EXIT_FAILED;
  const report = whatIf(current, candidate, cases.cases);
  if (values.json) io.out(`${JSON.stringify({ ok: true, ...report, issues: cases.issues }, null, 2)}\n`);
  else io.out(`${cases.issues.map((found) => `${formatIssue(found)}\n`).join('')}${formatWhatIf(report)}`);
  if (cases.issues.some(isFatal)) return EXIT_USAGE;
  return values['fail-on-change'] === true && report.planChanged > 0 ? EXIT_FAILED : EXIT_OK;
}

export async function run(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean' },
        strict: { type: 'boolean' },
        rules: { type: 'string' },
        facts: { type: 'string' },
        invoice: { type: 'string' },
        given: { type: 'string' },
        candidate: { type: 'string' },
        'fail-on-change': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  const [group, command, dirArg, ...extra] = positionals;
  if (values.help || group === 'help' || group === undefined) {
    (group === undefined && !values.help ? io.err : io.out)(USAGE);
    return group === undefined && !values.help ? EXIT_USAGE : EXIT_OK;
  }
  if (group !== 'rules' || extra.length > 0) {
    io.err(`Unknown command: ${positionals.join(' ')}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  const defaultDir = io.env.RULES_DIR ?? 'rules';
  try {
    switch (command) {
      case 'lint':
        return await lint(dirArg ?? defaultDir, values, io);
      case 'test':
        return await test(dirArg ?? defaultDir, values, io);
      case 'explain':
        if (dirArg !== undefined) throw new UsageError('explain takes the rules folder as --rules dir.');
        return await explain(values, io, values.rules ?? defaultDir);
      case 'what-if':
        if (dirArg !== undefined) throw new UsageError('what-if takes the rules folder as --rules dir.');
        return await whatIfCommand(values, io, values.rules ?? defaultDir);
      case 'facts':
        io.out(values.json ? `${JSON.stringify(FACTS, null, 2)}\n` : describeFacts());
        return EXIT_OK;
      default:
        io.err(`Unknown command: rules ${command ?? ''}\n\n${USAGE}`);
        return EXIT_USAGE;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await run(process.argv.slice(2));
}
