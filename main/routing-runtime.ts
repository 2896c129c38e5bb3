/**
 * The routing rules of a running system: the hot-reloaded rule set of RULES_DIR, every activated version and
 * every rejected candidate stored in the archive (with the diff), and the rules API (what is active, dry-run,
 * what-if over recent invoices). A rejected change leaves the running version untouched.
 */
import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';
import { promisify } from 'node:util';
import { HttpError } from '../api/problem.js';
import { checkTextLimits } from '../invoice/text-limits.js';
import type { RulesApi } from '../api/routes/rules.js';
import { ruleDecisions, ruleReloads } from '../api/metrics.js';
import type { Db } from '../archive/database.js';
import { latestRuleVersion, listRuleVersions, recentRoutingFacts, recordActivatedVersion, recordRejectedCandidate } from '../archive/rule-versions.js';
import { decide } from '../routing/evaluate.js';
import { mergeFacts } from '../routing/fact-schema.js';
import type { RoutingFacts } from '../routing/facts.js';
import { factsFromInvoiceJson } from '../routing/invoice-facts.js';
import { buildRuleSet } from '../routing/load.js';
import type { RoutingDecision } from '../routing/plan.js';
import { diffRuleFiles } from '../routing/rule-diff.js';
import { createRuleSetHolder, type RuleSetHolder } from '../routing/rule-set-holder.js';
import { whatIf } from '../routing/what-if.js';

export interface RoutingRuntime {
  decide(facts: RoutingFacts): RoutingDecision;
  holder: RuleSetHolder;
  api: RulesApi;
  close(): Promise<void>;
}

export async function startRoutingRuntime(options: { rulesDir: string; db: Db; log: (message: string, meta?: Record<string, unknown>) => void; watch?: boolean }): Promise<RoutingRuntime> {
  const { db, log } = options;
  let activatedAt = new Date();
  const holder = await createRuleSetHolder(options.rulesDir, {
    watch: options.watch ?? true,
    onActivated: async (event) => {
      activatedAt = new Date();
      const previous = await latestRuleVersion(db);
      const diff = previous && previous.version !== event.version ? diffRuleFiles(previous.files, event.files) : '';
      ruleReloads.inc({ outcome: 'activated' });
      await recordActivatedVersion(db, { version: event.version, files: event.files, author: await authorOf(options.rulesDir), diff });
      log('rules: activated', { version: event.version, previous: event.previousVersion ?? previous?.version, warnings: event.issues.length });
    },
    onRejected: async (candidate) => {
      ruleReloads.inc({ outcome: 'rejected' });
      await recordRejectedCandidate(db, { version: candidate.version, issues: candidate.issues, author: await authorOf(options.rulesDir) });
      log('rules: change rejected, running version stays', { candidate: candidate.version, active: candidate.activeVersion, issues: candidate.issues.length });
    },
    onError: (error) => log('rules: listener failed', { error: error.message }),
  });

  // Answers name rule files relative to the rules folder: an absolute path tells a caller where and how the product
  // is installed (issue 9, defect 5). The folder itself is `.`.
  const relative = <T>(value: T): T => relativeTo(options.rulesDir, value);
  const api: RulesApi = {
    status: () => (holder.rejected() ? `${holder.current().version} (a change was rejected)` : holder.current().version),

    async describe() {
      const active = holder.current();
      const rejected = holder.rejected();
      return relative({
        active: {
          version: active.version,
          activatedAt: activatedAt.toISOString(),
          files: active.files.map((f) => ({ name: f.name, sha256: f.sha256 })),
          rules: [...active.rules.map((r) => ({ id: r.id, description: r.description, at: r.at })), { id: active.default.id, description: active.default.description, at: active.default.at }],
        },
        rejected: rejected
          ? { version: rejected.version, rejectedAt: rejected.rejectedAt.toISOString(), activeVersion: rejected.activeVersion, tests: rejected.tests, errors: rejected.issues }
          : null,
        versions: (await listRuleVersions(db)).map(({ files: _files, ...v }) => v),
      });
    },

    async evaluate(body) {
      const input = (body ?? {}) as { facts?: unknown; invoice?: unknown; lookups?: unknown };
      let facts: RoutingFacts;
      if (input.invoice !== undefined) {
        // The same length limits as POST /v1/invoices (invoice/text-limits.ts), before the invoice is read.
        const tooLong = checkTextLimits(input.invoice);
        if (tooLong.length) throw new HttpError(422, 'invalid_invoice', `${tooLong.length} text field(s) too long or with control characters`, tooLong.map((i) => ({ ...i, path: `/invoice${i.path}` })));
        const read = factsFromInvoiceJson(input.invoice, (input.lookups ?? {}) as never);
        if (!read.facts) throw new HttpError(422, 'invalid_invoice', 'the invoice could not be read', read.issues);
        facts = read.facts;
      } else {
        const merged = mergeFacts(input.facts ?? {});
        if (merged.problems.length) {
          throw new HttpError(422, 'invalid_facts', 'the facts do not fit the fact schema', merged.problems.map((p) => ({ rule: 'FF-FACTS', severity: 'fatal' as const, message: p.message, path: `/facts${p.pointer}` })));
        }
        facts = merged.facts;
      }
      const decision = decide(holder.current(), facts);
      return relative({ ruleId: decision.ruleId, rulesVersion: decision.rulesVersion, plan: decision.plan, trace: decision.trace, facts });
    },

    async whatIf(body) {
      const input = (body ?? {}) as { files?: { name?: unknown; text?: unknown }[]; limit?: unknown };
      if (!Array.isArray(input.files) || input.files.some((f) => typeof f?.name !== 'string' || typeof f?.text !== 'string')) {
        throw new HttpError(400, 'bad_request', 'send the candidate rule set as {files: [{name, text}]}');
      }
      const files = (input.files as { name: string; text: string }[]).map((f) => ({ ...f, label: `candidate/${f.name}` }));
      const candidate = buildRuleSet(files, { folderLabel: 'candidate' });
      if (!candidate.ruleSet) throw new HttpError(422, 'invalid_rules', 'the candidate rule set does not lint', candidate.issues);
      const limit = Math.min(Number(input.limit ?? 1000) || 1000, 10_000);
      const cases = (await recentRoutingFacts(db, limit)).map(({ id, facts }) => ({ id, facts: facts as RoutingFacts }));
      return relative({ ...whatIf(holder.current(), candidate.ruleSet, cases), lint: candidate.issues });
    },
  };

  return {
    holder,
    api,
    decide(facts) {
      // Read the active set once: a reload during the decision cannot mix two versions.
      const { ruleId, rulesVersion, plan } = decide(holder.current(), facts);
      ruleDecisions.inc({ rule: ruleId });
      return { ruleId, rulesVersion, plan };
    },
    close: () => holder.close(),
  };
}

const run = promisify(execFile);

/**
 * Who changed the rules. Operations teams keep them in git and deploy by pulling: when the folder matches its last
 * commit, that commit's author is the answer; otherwise it is an uncommitted edit, and only the account that runs
 * us can be named.
 */
async function authorOf(dir: string): Promise<string> {
  try {
    const { stdout: status } = await run('git', ['-C', dir, 'status', '--porcelain', '--', '.']);
    if (status.trim() === '') {
      const { stdout: author } = await run('git', ['-C', dir, 'log', '-1', '--format=%an <%ae>', '--', '.']);
      if (author.trim()) return `${author.trim()} (git)`;
    }
  } catch {
    // Not a git work tree, or no git: fall through.
  }
  return `uncommitted edit, seen by ${userInfo().username}`;
}

/** A copy of `value` in which every string naming a file under `dir` names it relative to `dir` (`dir` itself: `.`). */
export function relativeTo<T>(dir: string, value: T): T {
  const folder = dir.replace(/\/+$/, '');
  if (folder.length < 2) return value;
  const rewrite = (item: unknown): unknown => {
    if (typeof item === 'string') return item.split(`${folder}/`).join('').split(folder).join('.');
    if (Array.isArray(item)) return item.map(rewrite);
    if (item instanceof Date || item === null || typeof item !== 'object') return item;
    return Object.fromEntries(Object.entries(item).map(([key, v]) => [key, rewrite(v)]));
  };
  return rewrite(value) as T;
}
