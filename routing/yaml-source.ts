/**
 * Reads one rule or test file with yaml's Document API and keeps the line:col of every node, so every lint
 * issue can say `file:line:col`. YAML 1.2 core schema: `no`, `yes`, `on`, `off` stay text (YAML 1.1 made them
 * booleans; the Norway problem). Plain numbers that lose information — leading zeros, octal/hex, more digits
 * than a double holds — are reported, because org numbers, KIDs and account numbers are text.
 */
import { LineCounter, parseDocument, isAlias, isMap, isScalar, isSeq, type Node } from 'yaml';
import { issue, type ValidationIssue } from '../validation/issue.js';

/** One file as read from the rules folder: `name` inside the folder, `label` as shown in issues. */
export interface SourceFile {
  name: string;
  label: string;
  text: string;
}

export interface Position {
  line: number;
  col: number;
}

/** A parsed file whose values can be located by JSON pointer (`/rules/0/when`). */
export interface LocatedDocument {
  file: SourceFile;
  value: unknown;
  /** `file:line:col` of the value at pointer (or of its nearest located ancestor). */
  at(pointer: string): string;
  /** `file:line:col` of the key of the member at pointer (falls back to the value). */
  keyAt(pointer: string): string;
  /** Pointers of plain numbers that lost digits (leading zeros, too long): already reported, not to be re-judged. */
  lossy: ReadonlySet<string>;
  /** Pointers of members dropped for a forbidden key (`__proto__`, …): already reported. */
  dropped: ReadonlySet<string>;
}

export const MAX_FILE_BYTES = 256 * 1024;
const MAX_NODES = 50_000;
const MAX_NESTING = 64;
/** Keys that reach into JavaScript prototypes; never data. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export const childPointer = (pointer: string, segment: string | number): string =>
  `${pointer}/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`;

export function formatPosition(label: string, position: Position): string {
  return `${label}:${position.line}:${position.col}`;
}

/** Fix hints for the YAML errors operations people meet most. */
const YAML_HINTS: Record<string, string> = {
  BAD_INDENT: 'Indent nested items with spaces, consistently (two per level); if a { or [ opened above is not closed, close it on its own line.',
  TAB_AS_INDENT: 'Indent with spaces; YAML does not allow tabs for indentation.',
  DUPLICATE_KEY: 'Each key may appear once per map; to combine conditions use {"and": [ … ]}.',
  MISSING_CHAR: 'A bracket or quote is not closed; JSON-style conditions need matching { } and [ ].',
  MULTILINE_IMPLICIT_KEY: 'A key must fit on one line; check for a missing colon or quote above.',
  BLOCK_AS_IMPLICIT_KEY: 'Check for a missing colon or indentation on the line above.',
  UNEXPECTED_TOKEN: 'Quote values that start with special characters (>, |, *, &, !, %, @, `).',
  BAD_SCALAR_START: 'Quote values that start with special characters (>, |, *, &, !, %, @, `).',
  MULTIPLE_DOCS: 'One rule file holds one document; remove the extra ---.',
};

const firstLine = (message: string): string => message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');

const LOSSY_NUMBER = /^[-+]?0\d|^[-+]?0[oOxX]/;

export function parseYamlSource(file: SourceFile): { doc: LocatedDocument; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const values = new Map<string, Position>();
  const keys = new Map<string, Position>();
  const lossy = new Set<string>();
  const dropped = new Set<string>();
  const lineCounter = new LineCounter();
  const start = { line: 1, col: 1 };
  const locate = (map: Map<string, Position>, pointer: string): string => {
    for (let p = pointer; ; p = p.slice(0, p.lastIndexOf('/'))) {
      const found = map.get(p) ?? values.get(p);
      if (found) return formatPosition(file.label, found);
      if (p === '') return formatPosition(file.label, start);
    }
  };
  const doc: LocatedDocument = {
    file,
    value: undefined,
    at: (pointer) => locate(values, pointer),
    keyAt: (pointer) => locate(keys, pointer),
    lossy,
    dropped,
  };

  if (Buffer.byteLength(file.text) > MAX_FILE_BYTES) {
    issues.push(issue('FF-RULE-LIMIT', `File is larger than ${MAX_FILE_BYTES / 1024} KiB; split the rules over several files.`, formatPosition(file.label, start)));
    return { doc, issues };
  }

  const parsed = parseDocument(file.text.replace(/^\uFEFF/, ''), {
    version: '1.2',
    schema: 'core',
    lineCounter,
    prettyErrors: true,
    uniqueKeys: true,
    merge: false,
  });
  for (const error of parsed.errors) {
    const position = error.linePos?.[0] ?? start;
    const hint = YAML_HINTS[error.code] ?? '';
    issues.push(issue('FF-RULE-YAML', `${firstLine(error.message)}.${hint ? ` ${hint}` : ''}`, formatPosition(file.label, position)));
  }
  if (issues.length > 0) return { doc, issues };
  for (const warning of parsed.warnings) {
    issues.push(issue('FF-RULE-YAML', firstLine(warning.message), formatPosition(file.label, warning.linePos?.[0] ?? start), 'warning'));
  }

  const positionOf = (node: Node | null | undefined): Position => (node?.range ? lineCounter.linePos(node.range[0]) : start);
  let nodes = 0;
  const convert = (node: Node | null | undefined, pointer: string, depth: number): unknown => {
    if (node === null || node === undefined) return null;
    values.set(pointer, positionOf(node));
    if (++nodes > MAX_NODES) {
      if (nodes === MAX_NODES + 1) issues.push(issue('FF-RULE-LIMIT', `More than ${MAX_NODES} values in one file; split it.`, doc.at(pointer)));
      return null;
    }
    if (depth > MAX_NESTING) {
      issues.push(issue('FF-RULE-LIMIT', `Nested more than ${MAX_NESTING} levels deep; flatten the condition.`, doc.at(pointer)));
      return null;
    }
    if (isAlias(node)) {
      issues.push(issue('FF-RULE-YAML', `Anchors and aliases (*${node.source}) are not allowed in rule files, so each rule reads on its own; repeat the value instead.`, doc.at(pointer)));
      return null;
    }
    if (node.anchor) {
      issues.push(issue('FF-RULE-YAML', `Anchors (&${node.anchor}) are not allowed in rule files, so each rule reads on its own; remove it.`, doc.at(pointer)));
    }
    if (isScalar(node)) {
      const value = node.value;
      if (typeof value === 'number' && node.type === 'PLAIN' && node.source !== undefined) {
        const source = node.source;
        if (LOSSY_NUMBER.test(source)) {
          lossy.add(pointer);
          issues.push(
            issue(
              'FF-RULE-LEADING-ZERO',
              `${source} is read as the number ${value}: YAML drops the leading zero. Org numbers, KIDs and account numbers are text; quote it: '${source}'.`,
              doc.at(pointer),
            ),
          );
        } else if (/^[-+]?\d+$/.test(source) && !Number.isSafeInteger(value)) {
          lossy.add(pointer);
          issues.push(
            issue('FF-RULE-LEADING-ZERO', `${source} has more digits than a number can hold exactly (it becomes ${value}); quote it: '${source}'.`, doc.at(pointer)),
          );
        }
      }
      return typeof value === 'bigint' ? Number(value) : value;
    }
    if (isSeq(node)) {
      return node.items.map((item, index) => convert(item as Node, childPointer(pointer, index), depth + 1));
    }
    if (isMap(node)) {
      const result: Record<string, unknown> = {};
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
        if (key === undefined) {
          issues.push(issue('FF-RULE-YAML', 'Map keys must be plain names; complex keys (? …) are not allowed.', formatPosition(file.label, positionOf(keyNode))));
          continue;
        }
        const member = childPointer(pointer, key);
        keys.set(member, positionOf(keyNode));
        if (FORBIDDEN_KEYS.has(key)) {
          dropped.add(member);
          issues.push(issue('FF-RULE-PROTOTYPE', `'${key}' is not allowed as a key: it reaches into JavaScript object prototypes. Remove it.`, formatPosition(file.label, positionOf(keyNode))));
          continue;
        }
        result[key] = convert(pair.value as Node | null, member, depth + 1);
        if (pair.value === null) values.set(member, positionOf(keyNode));
      }
      return result;
    }
    return null;
  };
  doc.value = convert(parsed.contents as Node | null, '', 0);
  return { doc, issues };
}
