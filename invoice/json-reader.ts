/**
 * Typed reading of an untrusted JSON body, one field at a time, collecting every problem as a ValidationIssue with
 * a JSON pointer (RFC 6901) instead of stopping at the first. `null` counts as absent, because many ERPs write
 * `null` for fields they do not have; strings are trimmed and the empty string counts as absent too.
 */
import { issue, type ValidationIssue } from '../validation/issue.js';
import { NUMBER_LIMIT } from './json-shape-limits.js';

/** What to report when a required field is absent: an EN 16931 rule id where one applies, else FF-JSON-REQUIRED. */
export interface Required {
  rule: string;
  message: string;
}

type JsonObject = Record<string, unknown>;

/** RFC 6901: `~` → `~0`, `/` → `~1`. */
export function pointer(base: string, key: string | number): string {
  return `${base}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** Decimal numerals as strings are accepted for amounts, so an ERP can avoid binary floats in its own JSON. */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

export class JsonFields {
  private constructor(
    private readonly value: JsonObject,
    readonly path: string,
    readonly issues: ValidationIssue[],
  ) {}

  /** The body itself; reports FF-JSON-TYPE and returns undefined when it is not an object. */
  static root(body: unknown, issues: ValidationIssue[]): JsonFields | undefined {
    if (isObject(body)) return new JsonFields(body, '', issues);
    issues.push(issue('FF-JSON-TYPE', `The body must be a JSON object, got ${typeName(body)}.`, ''));
    return undefined;
  }

  at(key: string): string {
    return pointer(this.path, key);
  }

  /** Present: neither undefined, null nor a blank string. */
  has(key: string): boolean {
    const value = this.value[key];
    return value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');
  }

  private missing(key: string, required: Required | undefined): undefined {
    if (required) this.issues.push(issue(required.rule, required.message, this.at(key)));
    return undefined;
  }

  private wrongType(key: string, expected: string): undefined {
    this.issues.push(issue('FF-JSON-TYPE', `Expected ${expected}, got ${typeName(this.value[key])}.`, this.at(key)));
    return undefined;
  }

  string(key: string, required?: Required): string | undefined {
    if (!this.has(key)) return this.missing(key, required);
    const value = this.value[key];
    // Identifiers such as line ids and order line references often arrive as numbers.
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value !== 'string') return this.wrongType(key, 'a string');
    return value.trim();
  }

  /** A string that must be one of `allowed`; reports FF-JSON-ENUM otherwise. */
  oneOf<T extends string>(key: string, allowed: readonly T[], required?: Required, rule = 'FF-JSON-ENUM'): T | undefined {
    const value = this.string(key, required);
    if (value === undefined) return undefined;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.issues.push(issue(rule, `Must be one of ${allowed.join(', ')}; got "${value}".`, this.at(key)));
    return undefined;
  }

  number(key: string, required?: Required): number | undefined {
    if (!this.has(key)) return this.missing(key, required);
    const value = this.value[key];
    const n = typeof value === 'number' ? value : typeof value === 'string' && DECIMAL.test(value.trim()) ? Number(value.trim()) : undefined;
    if (n === undefined) return this.wrongType(key, 'a number (or a decimal string such as "1250.50")');
    // Issue 9: "1e400" reads as Infinity and 10^20 loses its units in a double; no amount or quantity is that large.
    if (!Number.isFinite(n) || Math.abs(n) > NUMBER_LIMIT) {
      this.issues.push(issue('FF-NUMBER-RANGE', `Must lie within ±${NUMBER_LIMIT} (docs/invoice-json.md, "Limits").`, this.at(key)));
      return undefined;
    }
    return n;
  }

  boolean(key: string, required?: Required): boolean | undefined {
    if (!this.has(key)) return this.missing(key, required);
    const value = this.value[key];
    if (typeof value === 'boolean') return value;
    return this.wrongType(key, 'true or false');
  }

  object(key: string, required?: Required): JsonFields | undefined {
    if (!this.has(key)) return this.missing(key, required);
    const value = this.value[key];
    if (!isObject(value)) return this.wrongType(key, 'an object');
    return new JsonFields(value, this.at(key), this.issues);
  }

  /** Each element of an array of objects; an element that is no object is reported and skipped. */
  objects(key: string, required?: Required): JsonFields[] | undefined {
    if (!this.has(key)) return this.missing(key, required);
    const value = this.value[key];
    if (!Array.isArray(value)) return this.wrongType(key, 'an array');
    const result: JsonFields[] = [];
    value.forEach((element, index) => {
      const path = pointer(this.at(key), index);
      if (isObject(element)) result.push(new JsonFields(element, path, this.issues));
      else this.issues.push(issue('FF-JSON-TYPE', `Expected an object, got ${typeName(element)}.`, path));
    });
    return result;
  }

  strings(key: string): string[] | undefined {
    if (!this.has(key)) return undefined;
    const value = this.value[key];
    if (!Array.isArray(value)) return this.wrongType(key, 'an array of strings');
    const result: string[] = [];
    value.forEach((element, index) => {
      if (typeof element === 'string') result.push(element.trim());
      else this.issues.push(issue('FF-JSON-TYPE', `Expected a string, got ${typeName(element)}.`, pointer(this.at(key), index)));
    });
    return result;
  }
}
