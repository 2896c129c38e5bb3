/**
 * The structure of one rule file:
 *
 *   description: …            # optional, about the file
 *   rules:                    # ordered; across files, files are taken in name order
 *     - id: public-peppol     # unique in the set; letters, digits, - _ .
 *       description: …
 *       when: {"===": [{"var": "customer.kind"}, "public"]}     # json-logic over the routing facts
 *       then: [peppol]                                          # the plan (plan-syntax.ts)
 *   default:                  # exactly one file of the set has it
 *     description: …
 *     then: [email, print]    # or simply  default: [email, print]
 *
 * This module reads that structure and checks each rule's condition and plan on its own; checks across rules
 * (ids, default, reachability, policy) are in lint.ts.
 */
import { issue, type ValidationIssue } from '../validation/issue.js';
import { checkCondition } from './condition-check.js';
import { didYouMean } from './did-you-mean.js';
import type { Plan } from './plan.js';
import { parsePlan } from './plan-syntax.js';
import { DEFAULT_RULE_ID } from './rule-set.js';
import { childPointer, type LocatedDocument } from './yaml-source.js';

export interface RuleDraft {
  id: string;
  description: string;
  when: unknown;
  /** The condition has no fatal issue, so it can be compiled and analysed. */
  whenValid: boolean;
  plan?: Plan;
  doc: LocatedDocument;
  pointer: string;
  /** `file:line:col` of the rule (its first key). */
  at: string;
  stepPointers: string[];
}

export interface DefaultDraft {
  description: string;
  plan?: Plan;
  doc: LocatedDocument;
  pointer: string;
  at: string;
  stepPointers: string[];
}

export interface RuleFileContent {
  rules: RuleDraft[];
  default?: DefaultDraft;
  issues: ValidationIssue[];
}

const FILE_KEYS = ['description', 'rules', 'default'];
const RULE_KEYS = ['id', 'description', 'when', 'then'];
const KEY_SYNONYMS: Readonly<Record<string, string>> = {
  condition: 'when',
  if: 'when',
  match: 'when',
  plan: 'then',
  channels: 'then',
  route: 'then',
  do: 'then',
  name: 'id',
  rule: 'rules',
  fallback: 'default',
  else: 'default',
  otherwise: 'default',
};
const RULE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const isMap = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const hasFatal = (issues: readonly ValidationIssue[]): boolean => issues.some((found) => found.severity === 'fatal');

export function readRuleFile(doc: LocatedDocument): RuleFileContent {
  const issues: ValidationIssue[] = [];
  const rules: RuleDraft[] = [];
  const fail = (rule: string, message: string, at: string, severity: 'fatal' | 'warning' = 'fatal'): void => {
    issues.push(issue(rule, message, at, severity));
  };
  /** Reports unknown keys; returns the allowed keys they were probably meant as. */
  const unknownKeys = (map: Record<string, unknown>, allowed: readonly string[], pointer: string, what: string): Set<string> => {
    const meant = new Set<string>();
    for (const key of Object.keys(map)) {
      if (allowed.includes(key)) continue;
      const suggestion = didYouMean(key, allowed, KEY_SYNONYMS);
      if (suggestion) meant.add(suggestion);
      fail('FF-RULE-STRUCTURE', `Unknown key '${key}' in ${what}.${suggestion ? ` Did you mean '${suggestion}'?` : ''} Allowed: ${allowed.join(', ')}.`, doc.keyAt(childPointer(pointer, key)));
    }
    return meant;
  };

  const top = doc.value;
  if (top === null || top === undefined) return { rules, issues };
  if (!isMap(top)) {
    fail('FF-RULE-STRUCTURE', 'A rule file is a map with rules: [ … ] and (in one file) default: …; see rules/README.md.', doc.at(''));
    return { rules, issues };
  }
  unknownKeys(top, FILE_KEYS, '', 'a rule file');

  if (top.rules !== undefined && top.rules !== null) {
    if (!Array.isArray(top.rules)) {
      fail('FF-RULE-STRUCTURE', 'rules is a list: each rule starts with "- id: …".', doc.at('/rules'));
    } else {
      top.rules.forEach((raw, index) => {
        const pointer = childPointer('/rules', index);
        const at = doc.at(pointer);
        if (!isMap(raw)) {
          fail('FF-RULE-STRUCTURE', 'A rule is a map with id, description, when and then.', at);
          return;
        }
        const misspelt = unknownKeys(raw, RULE_KEYS, pointer, 'a rule');
        const id = raw.id;
        if (typeof id !== 'string' && typeof id !== 'number') {
          fail('FF-RULE-ID', 'The rule has no id; give it a short unique name, e.g. id: consumer-efaktura.', at);
          return;
        }
        const idText = String(id);
        if (!RULE_ID.test(idText)) {
          fail('FF-RULE-ID', `Rule id '${idText}' may hold letters, digits, '-', '_' and '.' only, and start with a letter or digit.`, doc.at(childPointer(pointer, 'id')));
        } else if (idText === DEFAULT_RULE_ID) {
          fail('FF-RULE-ID', `'${DEFAULT_RULE_ID}' is the id decisions carry when no rule matched; choose another id.`, doc.at(childPointer(pointer, 'id')));
        }
        if (typeof raw.description !== 'string' || raw.description.trim() === '') {
          fail('FF-RULE-STRUCTURE', `Rule '${idText}' has no description; say in one sentence what it routes and why (explain and the audit trail show it).`, at, 'warning');
        }
        const whenPointer = childPointer(pointer, 'when');
        let whenValid = false;
        if (!Object.hasOwn(raw, 'when')) {
          if (!misspelt.has('when')) fail('FF-RULE-STRUCTURE', `Rule '${idText}' has no when:; write a condition, or when: true for a catch-all.`, at);
        } else if (raw.when === null) {
          fail('FF-RULE-STRUCTURE', `Rule '${idText}' has an empty when:; write a condition, or when: true for a catch-all.`, doc.at(whenPointer));
        } else {
          const conditionIssues = checkCondition(raw.when, { doc, pointer: whenPointer });
          issues.push(...conditionIssues);
          // A number that lost its leading zero or a dropped key is reported already; the rule cannot be judged.
          const inWhen = (member: string): boolean => member === whenPointer || member.startsWith(`${whenPointer}/`);
          whenValid = !hasFatal(conditionIssues) && ![...doc.lossy, ...doc.dropped].some(inWhen);
        }
        let plan: Plan | undefined;
        let stepPointers: string[] = [];
        if (!Object.hasOwn(raw, 'then')) {
          if (!misspelt.has('then')) fail('FF-RULE-PLAN', `Rule '${idText}' has no then:; name the channels in order, e.g. then: [email, print].`, at);
        } else {
          const parsed = parsePlan(raw.then, doc, childPointer(pointer, 'then'));
          issues.push(...parsed.issues);
          plan = parsed.plan;
          stepPointers = parsed.stepPointers;
        }
        rules.push({
          id: idText,
          description: typeof raw.description === 'string' ? raw.description.trim() : '',
          when: raw.when,
          whenValid,
          ...(plan ? { plan } : {}),
          doc,
          pointer,
          at,
          stepPointers,
        });
      });
    }
  }

  let defaultDraft: DefaultDraft | undefined;
  if (Object.hasOwn(top, 'default')) {
    const raw = top.default;
    const at = doc.keyAt('/default');
    let planValue: unknown = raw;
    let planPointer = '/default';
    let description = '';
    if (isMap(raw)) {
      unknownKeys(raw, ['description', 'then'], '/default', 'the default');
      if (Object.hasOwn(raw, 'when')) fail('FF-RULE-STRUCTURE', 'The default applies when no rule matched; it has no when:. Remove it, or make this a rule.', doc.keyAt('/default/when'));
      planValue = raw.then;
      planPointer = '/default/then';
      description = typeof raw.description === 'string' ? raw.description.trim() : '';
    }
    if (planValue === undefined || planValue === null) {
      fail('FF-RULE-DEFAULT', 'The default needs a plan: default: {description: …, then: [email, print]}.', at);
      defaultDraft = { description, doc, pointer: '/default', at, stepPointers: [] };
    } else {
      const parsed = parsePlan(planValue, doc, planPointer);
      issues.push(...parsed.issues);
      defaultDraft = { description, ...(parsed.plan ? { plan: parsed.plan } : {}), doc, pointer: planPointer, at, stepPointers: parsed.stepPointers };
    }
  }
  return { rules, ...(defaultDraft ? { default: defaultDraft } : {}), issues };
}
