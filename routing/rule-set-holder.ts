/**
 * Holds the active rule set of a folder and reloads it when the files change (fs.watch, debounced). A change is
 * activated only when it lints without fatal issues and its tests pass; then the active set is swapped with one
 * assignment (decisions already running keep the set they read) and `activated` is emitted. Otherwise the running
 * version stays and the candidate is kept, with its issues, as `rejected()` and emitted as `rejected`.
 *
 * Reloads run one at a time and listeners are awaited in order, so a listener that stores versions (PostgreSQL)
 * sees them in the order they became active. A listener's failure is reported as `error`; it never stops the
 * holder. No database here: persistence belongs to the listeners.
 */
import { watch, type FSWatcher } from 'node:fs';
import { isFatal, type ValidationIssue } from '../validation/issue.js';
import { buildRuleSet, RuleSetInvalidError } from './load.js';
import { readRuleFolder } from './rule-folder.js';
import type { RuleSet, RuleSetFile } from './rule-set.js';
import { runRuleTests, type RuleTestReport } from './rule-tests.js';
import { normalizeRuleText, ruleSetVersion, sha256Hex } from './version.js';

export interface ActivatedEvent {
  version: string;
  files: readonly RuleSetFile[];
  ruleSet: RuleSet;
  /** Undefined for the set loaded at start. */
  previousVersion?: string;
  /** Warnings the set was activated with. */
  issues: readonly ValidationIssue[];
}

export interface RejectedCandidate {
  /** Version the candidate would have had (hash of its rule files). */
  version: string;
  files: readonly RuleSetFile[];
  issues: readonly ValidationIssue[];
  /** The version that stays active. */
  activeVersion: string;
  rejectedAt: Date;
  tests?: { passed: number; failed: number };
}

export type ReloadOutcome = 'activated' | 'rejected' | 'unchanged';

interface Listeners {
  activated: (event: ActivatedEvent) => void | Promise<void>;
  rejected: (candidate: RejectedCandidate) => void | Promise<void>;
  error: (error: Error) => void;
}

export interface RuleSetHolderOptions {
  /** Quiet time after the last file event before reloading; editors write files in several steps. Default 150 ms. */
  debounceMs?: number;
  /** Run the folder's *.test.yaml and reject the change when one fails. Default true. */
  requireTestsPass?: boolean;
  /** Watch the folder. Default true; false leaves reloading to `reload()`. */
  watch?: boolean;
  /** Registered before the first load, so the initial activation is seen too. */
  onActivated?: Listeners['activated'];
  onRejected?: Listeners['rejected'];
  onError?: Listeners['error'];
}

export interface RuleSetHolder {
  readonly dir: string;
  /** The active rule set; read it once per decision. */
  current(): RuleSet;
  /** The last rejected candidate, until a later change is activated or the files return to the active version. */
  rejected(): RejectedCandidate | undefined;
  on<E extends keyof Listeners>(event: E, listener: Listeners[E]): () => void;
  /** Reads the folder now (the watcher calls this too). */
  reload(): Promise<ReloadOutcome>;
  close(): Promise<void>;
}

interface Candidate {
  version: string;
  files: RuleSetFile[];
  ruleSet?: RuleSet;
  issues: ValidationIssue[];
  tests?: RuleTestReport;
}

async function readCandidate(dir: string, requireTestsPass: boolean): Promise<Candidate> {
  const folder = await readRuleFolder(dir);
  const files = folder.ruleFiles.map((file) => ({ name: file.name, sha256: sha256Hex(normalizeRuleText(file.text)), text: file.text }));
  const version = ruleSetVersion(folder.ruleFiles);
  if (folder.issues.some(isFatal)) return { version, files, issues: folder.issues };
  const build = buildRuleSet(folder.ruleFiles, { folderLabel: dir });
  const issues = [...folder.issues, ...build.issues];
  if (!build.ruleSet || !requireTestsPass || folder.testFiles.length === 0) return { version, files, issues, ...(build.ruleSet ? { ruleSet: build.ruleSet } : {}) };
  const tests = runRuleTests(build.ruleSet, folder.testFiles);
  issues.push(...tests.issues);
  return { version, files, issues, tests, ...(issues.some(isFatal) ? {} : { ruleSet: build.ruleSet }) };
}

export async function createRuleSetHolder(dir: string, options: RuleSetHolderOptions = {}): Promise<RuleSetHolder> {
  const debounceMs = options.debounceMs ?? 150;
  const requireTestsPass = options.requireTestsPass ?? true;
  const listeners: { [E in keyof Listeners]: Set<Listeners[E]> } = { activated: new Set(), rejected: new Set(), error: new Set() };
  if (options.onActivated) listeners.activated.add(options.onActivated);
  if (options.onRejected) listeners.rejected.add(options.onRejected);
  if (options.onError) listeners.error.add(options.onError);

  const reportError = (error: unknown): void => {
    const failure = error instanceof Error ? error : new Error(String(error));
    if (listeners.error.size === 0) console.error(`rules ${dir}: ${failure.message}`);
    for (const listener of listeners.error) listener(failure);
  };
  const emit = async <E extends 'activated' | 'rejected'>(event: E, payload: Parameters<Listeners[E]>[0]): Promise<void> => {
    for (const listener of [...listeners[event]]) {
      try {
        await (listener as (value: typeof payload) => void | Promise<void>)(payload);
      } catch (error) {
        reportError(error);
      }
    }
  };

  const initial = await readCandidate(dir, requireTestsPass);
  if (!initial.ruleSet) throw new RuleSetInvalidError(dir, initial.issues);
  let active: RuleSet = initial.ruleSet;
  let lastRejected: RejectedCandidate | undefined;
  await emit('activated', { version: active.version, files: active.files, ruleSet: active, issues: initial.issues });

  let running: Promise<ReloadOutcome> | undefined;
  let again = false;
  let closed = false;

  const reloadOnce = async (): Promise<ReloadOutcome> => {
    const candidate = await readCandidate(dir, requireTestsPass);
    if (candidate.version === active.version && candidate.ruleSet) {
      lastRejected = undefined;
      return 'unchanged';
    }
    if (!candidate.ruleSet) {
      if (lastRejected?.version === candidate.version) return 'rejected';
      lastRejected = {
        version: candidate.version,
        files: candidate.files,
        issues: candidate.issues,
        activeVersion: active.version,
        rejectedAt: new Date(),
        ...(candidate.tests ? { tests: { passed: candidate.tests.passed, failed: candidate.tests.failed } } : {}),
      };
      await emit('rejected', lastRejected);
      return 'rejected';
    }
    const previousVersion = active.version;
    active = candidate.ruleSet;
    lastRejected = undefined;
    await emit('activated', { version: active.version, files: active.files, ruleSet: active, previousVersion, issues: candidate.issues });
    return 'activated';
  };

  const reload = (): Promise<ReloadOutcome> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let outcome: ReloadOutcome;
      do {
        again = false;
        outcome = await reloadOnce();
      } while (again && !closed);
      return outcome;
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  if (options.watch ?? true) {
    watcher = watch(dir, { persistent: false }, () => {
      if (closed) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        reload().catch(reportError);
      }, debounceMs);
    });
    watcher.on('error', reportError);
  }

  return {
    dir,
    current: () => active,
    rejected: () => lastRejected,
    on(event, listener) {
      (listeners[event] as Set<typeof listener>).add(listener);
      return () => {
        (listeners[event] as Set<typeof listener>).delete(listener);
      };
    },
    reload,
    async close() {
      closed = true;
      clearTimeout(timer);
      watcher?.close();
      await running?.catch(() => undefined);
    },
  };
}
