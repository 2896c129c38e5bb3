/**
 * docs/invoice-json.md is the ERP integrator's description of our invoice JSON. These tests keep it honest:
 * - every worked example is a file in test/fixtures/invoice-json/, appears in the docs verbatim, and passes the whole
 *   validation pipeline (our checks + the official UBL 2.1 XSD, CEN and Peppol rules) with exactly the warnings the
 *   docs announce;
 * - the OpenAPI `InvoiceJson` schema tree names exactly the fields invoice/json-input.ts reads, found by running the
 *   parser on bodies that record which keys it looks at, and the docs name each of them;
 * - the examples use only those fields (unknown fields are ignored by the parser, so a typo would pass silently) and
 *   fit the schema's types.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { openapiPath } from '../../../api/app.js';
import { validateUblOfficial } from '../../../ehf/official-validation.js';
import { parseInvoiceJson } from '../../../invoice/json-input.js';
import { isFatal } from '../../../validation/issue.js';
import { validateSubmission } from '../../../validation/submission.js';

const fixtures = fileURLToPath(new URL('../../fixtures/invoice-json/', import.meta.url));
const docs = readFileSync(fileURLToPath(new URL('../../../docs/invoice-json.md', import.meta.url)), 'utf8');
const fixture = (name: string): string => readFileSync(`${fixtures}${name}`, 'utf8');

/** Each documented example, the amount due the docs state for it, and the warnings (rule ids) the docs announce. */
const EXAMPLES: { file: string; payable: number; warnings: string[] }[] = [
  { file: 'b2b.json', payable: 2437.5, warnings: [] },
  { file: 'credit-note.json', payable: 562.5, warnings: [] },
  { file: 'mixed-vat.json', payable: 17692, warnings: [] },
  // A consumer has no Peppol address; the official rule is kept as a warning (validation/submission.ts).
  { file: 'consumer.json', payable: 1328.13, warnings: ['PEPPOL-EN16931-R010'] },
  { file: 'public.json', payable: 31875, warnings: [] },
  { file: 'foreign-currency.json', payable: 1250, warnings: [] },
];

const official = async (xml: string) => (await validateUblOfficial(xml)).issues;

describe('the examples in docs/invoice-json.md', () => {
  it.each(EXAMPLES)('$file is valid, with the documented amount due and warnings', async ({ file, payable, warnings }) => {
    const result = await validateSubmission({ mediaType: 'application/json', content: fixture(file) }, official);
    const found = result.valid ? result.warnings : result.issues;
    expect(found.filter(isFatal)).toEqual([]);
    expect(result.valid).toBe(true);
    if (!result.valid) return;
    expect(result.totals.payableAmount).toBe(payable);
    expect(result.warnings.map((i) => i.rule).sort()).toEqual([...warnings].sort());
  });

  it.each(EXAMPLES)('$file appears in the docs verbatim', ({ file }) => {
    const block = '```json\n' + fixture(file).trimEnd() + '\n```';
    expect(docs.includes(block), `docs/invoice-json.md lacks test/fixtures/invoice-json/${file} as a json block`).toBe(true);
  });

  it('supplied totals that disagree by one øre are an error with their BR-CO rule id, as the docs say', async () => {
    const body = JSON.parse(fixture('mixed-vat.json')) as { suppliedTotals: { payableAmount: number } };
    body.suppliedTotals.payableAmount = 17692.01;
    const result = await validateSubmission({ mediaType: 'application/json', content: JSON.stringify(body) });
    expect(result.valid).toBe(false);
    if (result.valid) return;
    expect(result.issues.filter(isFatal).map((i) => `${i.rule} ${i.path}`)).toEqual(['BR-CO-16 /suppliedTotals/payableAmount']);
  });
});

// ---- the field names: what json-input.ts reads, what the OpenAPI schema declares ----

type Step = { key: string; array: boolean };

/**
 * The keys parseInvoiceJson reads from the object at the end of `chain` (root → …), e.g. [{key: 'lines', array: true}]
 * is a body whose `lines` holds one recording object. Run twice: once with every field absent and once with every
 * field "1", so that reads which depend on a sibling being present (an identifier's schemeId) are seen too.
 */
function keysReadAt(chain: readonly Step[]): Set<string> {
  const read = new Set<string>();
  for (const answer of [undefined, '1']) {
    let value: unknown = new Proxy(
      {},
      {
        get(_target, key) {
          if (typeof key === 'string') read.add(key);
          return answer;
        },
      },
    );
    for (const step of [...chain].reverse()) value = { [step.key]: step.array ? [value] : value };
    parseInvoiceJson(value);
  }
  return read;
}

/** Every field path the parser reads: `buyer.address.city`, `lines[].allowanceCharges[].amount`, … */
function pathsRead(chain: Step[] = [], prefix = ''): string[] {
  return [...keysReadAt(chain)].flatMap((key) => {
    for (const array of [false, true]) {
      const deeper = [...chain, { key, array }];
      if (keysReadAt(deeper).size > 0) {
        const path = `${prefix}${key}${array ? '[]' : ''}`;
        return [path, ...pathsRead(deeper, `${path}.`)];
      }
    }
    return [`${prefix}${key}`];
  });
}

interface Schema {
  $ref?: string;
  allOf?: Schema[];
  type?: string | string[];
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  pattern?: string;
  format?: string;
  minItems?: number;
  maxItems?: number;
}

const openapi = parse(readFileSync(openapiPath, 'utf8')) as { components: { schemas: Record<string, Schema> } };

/** The schema with its $ref followed and its allOf parts merged (properties and required). */
function resolve(schema: Schema): Schema {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = openapi.components.schemas[name];
    if (!target) throw new Error(`unresolved ${schema.$ref}`);
    return resolve({ ...target, ...schema, $ref: undefined });
  }
  if (!schema.allOf) return schema;
  const parts = schema.allOf.map(resolve);
  return {
    ...schema,
    allOf: undefined,
    type: 'object',
    properties: Object.assign({}, ...parts.map((p) => p.properties ?? {}), schema.properties ?? {}),
    required: [...parts.flatMap((p) => p.required ?? []), ...(schema.required ?? [])],
  };
}

/** Every field path the schema declares, written as pathsRead writes them (an array of strings is a leaf). */
function pathsDeclared(schema: Schema, prefix = ''): string[] {
  return Object.entries(resolve(schema).properties ?? {}).flatMap(([key, property]) => {
    const resolved = resolve(property);
    const items = resolved.items && resolve(resolved.items);
    if (items?.properties) return [`${prefix}${key}[]`, ...pathsDeclared(items, `${prefix}${key}[].`)];
    if (resolved.properties) return [`${prefix}${key}`, ...pathsDeclared(resolved, `${prefix}${key}.`)];
    return [`${prefix}${key}`];
  });
}

const typeOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'number' ? 'number' : typeof value;

/** The JSON Schema keywords our schema uses, enough to hold the examples to it; unknown fields count as errors. */
function schemaErrors(schema: Schema, value: unknown, path: string): string[] {
  const s = resolve(schema);
  const errors: string[] = [];
  const types = s.type === undefined ? undefined : ([] as string[]).concat(s.type);
  if (types && !types.includes(typeOf(value))) {
    return [`${path}: ${typeOf(value)} is not ${types.join(' or ')}`];
  }
  if (s.enum && !s.enum.includes(value)) errors.push(`${path}: ${String(value)} is not one of ${s.enum.join(', ')}`);
  if (typeof value === 'string' && s.pattern && !new RegExp(s.pattern).test(value)) errors.push(`${path}: "${value}" does not match ${s.pattern}`);
  if (typeof value === 'string' && s.format === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) errors.push(`${path}: "${value}" is not a date`);
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) errors.push(`${path}: fewer than ${s.minItems} items`);
    if (s.maxItems !== undefined && value.length > s.maxItems) errors.push(`${path}: more than ${s.maxItems} items`);
    if (s.items) value.forEach((element, i) => errors.push(...schemaErrors(s.items!, element, `${path}/${i}`)));
  }
  if (typeOf(value) === 'object' && s.properties) {
    const object = value as Record<string, unknown>;
    for (const key of s.required ?? []) if (!(key in object)) errors.push(`${path}/${key}: required`);
    for (const [key, element] of Object.entries(object)) {
      const property = s.properties[key];
      if (property) errors.push(...schemaErrors(property, element, `${path}/${key}`));
      else errors.push(`${path}/${key}: not a field of our invoice JSON`);
    }
  }
  return errors;
}

const invoiceJson = openapi.components.schemas.InvoiceJson!;
const read = pathsRead().sort();

describe('the OpenAPI InvoiceJson schema and the docs name every field json-input.ts reads', () => {
  it('finds the fields the parser reads (sanity check of the probe)', () => {
    expect(read).toContain('documentType');
    expect(read).toContain('buyer.address.city');
    expect(read).toContain('lines[].allowanceCharges[].reasonCode');
    expect(read).toContain('supplier.identifier.schemeId');
    expect(read).not.toContain('lines[].allowanceCharges[].taxCode'); // a line allowance takes the line's VAT
    expect(read.length).toBeGreaterThan(150);
  });

  it('the schema tree declares exactly the fields the parser reads', () => {
    expect(pathsDeclared(invoiceJson).sort()).toEqual(read);
  });

  it('the docs name every field', () => {
    const names = new Set(read.map((path) => path.replace(/\[\]/g, '').split('.').pop()!));
    // Named in inline code outside the examples: `name`, `delivery.date`, `{code, listId, listVersionId}`, …
    const prose = docs.replace(/```[\s\S]*?```/g, '');
    const inlineCode = prose.split('\n').flatMap((line) => line.split('`').filter((_, i) => i % 2 === 1));
    const words = new Set(inlineCode.flatMap((code) => code.match(/\w+/g) ?? []));
    const missing = [...names].filter((name) => !words.has(name));
    expect(missing).toEqual([]);
  });

  it.each(EXAMPLES)('$file uses only schema fields, with the schema types', ({ file }) => {
    expect(schemaErrors(invoiceJson, JSON.parse(fixture(file)), '')).toEqual([]);
  });
});
