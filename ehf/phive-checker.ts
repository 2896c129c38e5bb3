/**
 * The phive checker (ehf/phive-checker/, built by scripts/setup-phive.mjs into .tools/phive/) as one long-lived JVM:
 * the engine behind the Peppol practical validator with phive-rules-peppol 4.3.7 (BIS Billing 3.0.21 + CEN 1.3.16),
 * the rules our own Schematron layers come from. Used by the differential test and `npm run bench:ehf`; never by the
 * product. Commands go to its stdin one a line, answers come back one JSON line each, in order (PhiveChecker.java).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the setup installs the checker; PHIVE_CHECKER_DIR points elsewhere. */
export const phiveCheckerDir = (): string => process.env.PHIVE_CHECKER_DIR || join(root, '.tools', 'phive');
export const phiveCheckerJar = (): string => join(phiveCheckerDir(), 'phive-checker.jar');

export interface PhiveFinding {
  layer: 'xsd' | 'cen' | 'peppol';
  /** The rule id (BR-CO-15, PEPPOL-EN16931-R001, …), or `XSD` for every schema error. */
  id: string;
  severity: 'fatal' | 'warning' | 'info';
  /** XPath of the node the rule fired on, or `line:column` for a schema error. */
  location: string;
  text: string;
}

export interface PhiveReport {
  document: 'Invoice' | 'CreditNote';
  ms: number;
  findings: PhiveFinding[];
  /** Layers phive did not run because an earlier one failed (after an XSD error: cen and peppol). */
  skipped: string[];
}

export interface PhiveTiming {
  threads: number;
  count: number;
  ms: number;
  perSecond: number;
  /** The fatal rule ids of the document (XSD for a schema error), sorted. */
  fatal: string[];
}

export class PhiveCheckerMissingError extends Error {
  constructor(jar: string) {
    super(`the phive checker is not installed (${jar} is missing): run \`npm run setup\` (it builds ehf/phive-checker with mvn into .tools/phive/; Java 17 and Maven needed), or set PHIVE_CHECKER_DIR to where it was built`);
    this.name = 'PhiveCheckerMissingError';
  }
}

export interface PhiveChecker {
  /** The rule set phive loaded, e.g. `2026.5`. */
  readonly rules: string;
  check(xml: string): Promise<PhiveReport>;
  /** Validates `xml` `count` times on `threads` threads inside the JVM (read once, parsed each time). */
  time(xml: string, threads: number, count: number): Promise<PhiveTiming>;
  /** A few untimed validations, so the JIT has compiled the rules before timing. */
  warm(xml: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts the JVM and waits until it has loaded the rules (~2 s; the first document of each type compiles them). */
export async function startPhiveChecker(): Promise<PhiveChecker> {
  const jar = phiveCheckerJar();
  if (!existsSync(jar)) throw new PhiveCheckerMissingError(jar);
  const files = mkdtempSync(join(tmpdir(), 'fakturaflyt-phive-docs-'));
  const java: ChildProcessWithoutNullStreams = spawn('java', ['-jar', jar], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  java.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const waiting: { resolve: (line: Record<string, unknown>) => void; reject: (err: Error) => void }[] = [];
  let exited: Error | undefined;
  const lines = createInterface({ input: java.stdout });
  lines.on('line', (line) => {
    const next = waiting.shift();
    if (!next) return;
    try {
      next.resolve(JSON.parse(line) as Record<string, unknown>);
    } catch {
      next.reject(new Error(`phive checker answered something that is not JSON: ${line.slice(0, 200)}`));
    }
  });
  java.on('error', (err) => fail(err));
  java.on('exit', (code, signal) => fail(new Error(`phive checker exited (${signal ?? code})${stderr ? `: ${stderr.trim().split('\n').slice(-5).join(' | ')}` : ''}`)));
  function fail(err: Error): void {
    exited ??= err;
    for (const w of waiting.splice(0)) w.reject(err);
  }
  const answer = (command?: string): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      if (exited) return reject(exited);
      waiting.push({ resolve, reject });
      if (command !== undefined) java.stdin.write(`${command}\n`);
    });
  let counter = 0;
  const file = (xml: string): string => {
    const path = join(files, `${++counter}.xml`);
    writeFileSync(path, xml);
    return path;
  };
  const checked = (result: Record<string, unknown>): Record<string, unknown> => {
    if (typeof result.error === 'string') throw new Error(`phive checker: ${result.error}`);
    return result;
  };

  const ready = await answer();
  const rules = String(ready.ready);
  return {
    rules,
    async check(xml) {
      const path = file(xml);
      try {
        return checked(await answer(`check ${path}`)) as unknown as PhiveReport;
      } finally {
        rmSync(path, { force: true });
      }
    },
    async time(xml, threads, count) {
      const path = file(xml);
      try {
        return checked(await answer(`time ${threads} ${count} ${path}`)) as unknown as PhiveTiming;
      } finally {
        rmSync(path, { force: true });
      }
    },
    async warm(xml) {
      const path = file(xml);
      try {
        checked(await answer(`warm ${path}`));
      } finally {
        rmSync(path, { force: true });
      }
    },
    async close() {
      if (!exited) {
        const gone = new Promise<void>((resolve) => java.once('exit', () => resolve()));
        java.stdin.end();
        await gone;
      }
      rmSync(files, { recursive: true, force: true });
    },
  };
}
