/**
 * From rule files to a `RuleSet`: lint, and only when no issue is fatal, compile each condition once, freeze
 * each plan and hash the files into the version. Warnings do not block a rule set; fatal issues do.
 */
import { isFatal, type ValidationIssue } from '../validation/issue.js';
import { compileCondition } from './compile.js';
import { sortIssues } from './issue-order.js';
import { checkRuleFiles, type LintOptions } from './lint.js';
import { readRuleFolder, type RuleFolder } from './rule-folder.js';
import { DEFAULT_RULE_ID, deepFreeze, type Rule, type RuleSet } from './rule-set.js';
import { normalizeRuleText, ruleSetVersion, sha256Hex } from './version.js';
import type { SourceFile } from './yaml-source.js';

export interface RuleSetBuild {
  /** Present when no issue is fatal. */
  ruleSet?: RuleSet;
  issues: ValidationIssue[];
}

export class RuleSetInvalidError extends Error {
  override readonly name = 'RuleSetInvalidError';
  constructor(
    readonly dir: string,
    readonly issues: readonly ValidationIssue[],
  ) {
    const fatal = issues.filter(isFatal);
    super(`The rules in ${dir} are invalid (${fatal.length} error${fatal.length === 1 ? '' : 's'}):\n${fatal.map((found) => `${found.path} ${found.rule} ${found.message}`).join('\n')}`);
  }
}

/** Lints the rule files and, when nothing is fatal, builds the rule set. Pure: no I/O. */
export function buildRuleSet(ruleFiles: readonly SourceFile[], options: LintOptions = {}): RuleSetBuild {
  const checked = checkRuleFiles(ruleFiles, options);
  if (checked.issues.some(isFatal) || !checked.default?.plan) return { issues: checked.issues };
  const rules: Rule[] = checked.rules.map((draft) => ({
    id: draft.id,
    description: draft.description,
    when: deepFreeze(structuredClone(draft.when)),
    plan: deepFreeze(draft.plan!),
    at: draft.at,
    matches: compileCondition(draft.when),
  }));
  const files = [...ruleFiles]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((file) => ({ name: file.name, sha256: sha256Hex(normalizeRuleText(file.text)), text: file.text }));
  const ruleSet: RuleSet = Object.freeze({
    version: ruleSetVersion(ruleFiles),
    rules: Object.freeze(rules.map((rule) => Object.freeze(rule))),
    default: deepFreeze({ id: DEFAULT_RULE_ID as typeof DEFAULT_RULE_ID, description: checked.default.description, plan: checked.default.plan, at: checked.default.at }),
    files: deepFreeze(files),
  });
  return { ruleSet, issues: checked.issues };
}

export interface LoadedRuleSet extends RuleSetBuild {
  folder: RuleFolder;
}

/** Reads a rules folder (every *.yaml but *.test.yaml) and builds the rule set from it. */
export async function loadRuleSet(dir: string, options: LintOptions = {}): Promise<LoadedRuleSet> {
  const folder = await readRuleFolder(dir);
  if (folder.issues.some(isFatal)) return { issues: folder.issues, folder };
  const build = buildRuleSet(folder.ruleFiles, { folderLabel: dir, ...options });
  return { ...build, issues: sortIssues([...folder.issues, ...build.issues]), folder };
}

/** The rule set, or a `RuleSetInvalidError` listing the fatal issues. */
export async function requireRuleSet(dir: string, options: LintOptions = {}): Promise<RuleSet> {
  const loaded = await loadRuleSet(dir, options);
  if (!loaded.ruleSet) throw new RuleSetInvalidError(dir, loaded.issues);
  return loaded.ruleSet;
}
