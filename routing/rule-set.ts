/**
 * A loaded, validated rule set: ordered rules (first match wins) and a default, each condition compiled once,
 * each plan frozen, the whole identified by a content hash (`rs-<12 hex>`, see version.ts). Immutable, so a
 * holder can swap the active set with one assignment and in-flight decisions keep the set they started with.
 */
import type { CompiledCondition } from './compile.js';
import type { Plan } from './plan.js';

/** The id a decision carries when no rule matched. Reserved: no rule may use it. */
export const DEFAULT_RULE_ID = 'default';

export interface Rule {
  readonly id: string;
  readonly description: string;
  /** The json-logic condition as written. */
  readonly when: unknown;
  readonly plan: Plan;
  /** `file:line:col` of the rule. */
  readonly at: string;
  readonly matches: CompiledCondition;
}

export interface DefaultRule {
  readonly id: typeof DEFAULT_RULE_ID;
  readonly description: string;
  readonly plan: Plan;
  readonly at: string;
}

/** A rule file as it was when the set was built: what the version hash covers and what gets archived. */
export interface RuleSetFile {
  /** Name inside the rules folder, e.g. `routing.yaml`. */
  readonly name: string;
  /** sha256 (hex) of the normalised text. */
  readonly sha256: string;
  readonly text: string;
}

export interface RuleSet {
  /** `rs-` + the first 12 hex digits of the sha256 over the normalised files. */
  readonly version: string;
  readonly rules: readonly Rule[];
  readonly default: DefaultRule;
  readonly files: readonly RuleSetFile[];
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
