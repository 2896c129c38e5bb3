/**
 * The one machine-readable description of the routing facts (`RoutingFacts` in facts.ts): every path a rule may
 * read with `{"var": …}`, its type, its closed set of values where it has one, and the documented base value that
 * rule tests start from. The linter (unknown paths, "did you mean", type checks), the rule tests, what-if and the
 * generated docs (`fakturaflyt rules facts`, rules/README.md) all read this table, so they cannot drift apart.
 *
 * The mapped type below makes the compiler insist on exactly one entry per leaf of `RoutingFacts`, with a base
 * value of the right type and every enum value described.
 */
import type { CustomerKind, DocumentType } from '../invoice/model.js';
import type { EfakturaStatus, RoutingFacts } from './facts.js';
import { didYouMean } from './did-you-mean.js';

type Scalar = string | number | boolean;

/** Dotted paths to the leaves of T (arrays are leaves). */
type LeafPath<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends Scalar | readonly unknown[] ? `${Prefix}${K}` : LeafPath<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

type ValueAt<T, P extends string> = P extends `${infer Head}.${infer Rest}`
  ? Head extends keyof T
    ? ValueAt<T[Head], Rest>
    : never
  : P extends keyof T
    ? T[P]
    : never;

export type FactPath = LeafPath<RoutingFacts>;
export type FactType = 'string' | 'number' | 'boolean' | 'string[]';
/** How a string fact is compared: dates compare as YYYY-MM-DD text, which orders like the calendar. */
export type FactFormat = 'date' | 'country' | 'currency' | 'orgnr';

type TypeName<V> = [V] extends [readonly string[]] ? 'string[]' : [V] extends [string] ? 'string' : [V] extends [number] ? 'number' : [V] extends [boolean] ? 'boolean' : never;

interface FactSpec<V> {
  type: TypeName<V>;
  description: string;
  /** Where the value comes from at run time. */
  source: string;
  /** The documented base that rule tests and what-if lines start from. */
  base: V;
  /** Closed set of values, each with what it means (enums only). */
  values?: [V] extends [string] ? (string extends V ? never : Readonly<Record<V, string>>) : never;
  format?: FactFormat;
}

type Schema = { readonly [P in FactPath]: FactSpec<ValueAt<RoutingFacts, P>> };

const DOCUMENT_TYPES: Readonly<Record<DocumentType, string>> = {
  invoice: 'Invoice (UBL Invoice, type code 380 or 384)',
  creditNote: 'Credit note (UBL CreditNote, type code 381)',
};

const CUSTOMER_KINDS: Readonly<Record<CustomerKind, string>> = {
  business: 'A business with an organisation number (default when the buyer has a taxId)',
  public: 'A public-sector body: EHF over Peppol is mandatory (FOR-2019-04-01-444)',
  consumer: 'A private person: eFaktura, e-mail or print',
};

const EFAKTURA_STATUSES: Readonly<Record<EfakturaStatus, string>> = {
  found: 'eFaktura identifier found and not blocked ("Ja takk til alle", eFaktura 2.0)',
  not_found: 'No eFaktura identifier for this consumer (lookup answered 404)',
  blocked: 'The consumer has blocked this issuer (getBlackList)',
  agreement_pending: 'An agreement request was sent and is not answered yet',
  agreement_accepted: 'The consumer accepted the agreement request',
  agreement_rejected: 'The consumer rejected the agreement request, or it expired',
};

export const FACT_SCHEMA: Schema = {
  documentType: {
    type: 'string',
    values: DOCUMENT_TYPES,
    base: 'invoice',
    description: 'Invoice or credit note',
    source: 'invoice.documentType',
  },
  'customer.kind': {
    type: 'string',
    values: CUSTOMER_KINDS,
    base: 'business',
    description: 'Who the buyer is',
    source: 'invoice.buyer.kind',
  },
  'customer.hasEmail': {
    type: 'boolean',
    base: true,
    description: 'The buyer has an e-mail address (the address itself is never a fact)',
    source: 'invoice.buyer.email or buyer.contact.email',
  },
  'customer.hasMobile': {
    type: 'boolean',
    base: false,
    description: 'The buyer has a phone number (agreement requests go by SMS when present)',
    source: 'invoice.buyer.phone or buyer.contact.phone',
  },
  'customer.hasPostalAddress': {
    type: 'boolean',
    base: true,
    description: 'Street, postal code and city are all known, so print can deliver',
    source: 'invoice.buyer.address',
  },
  'customer.country': {
    type: 'string',
    format: 'country',
    base: 'NO',
    description: 'Buyer country, ISO 3166-1 alpha-2 (NO when no address is given)',
    source: 'invoice.buyer.address.country',
  },
  'peppol.registered': {
    type: 'boolean',
    base: false,
    description: 'The buyer is registered in the Peppol network (SML/SMP, ELMA) under 0192:<orgnr>',
    source: 'Peppol receiver lookup',
  },
  'peppol.acceptsDocumentType': {
    type: 'boolean',
    base: false,
    description: "The buyer's SMP lists this document type (BIS Billing 3.0 invoice or credit note)",
    source: 'Peppol receiver lookup',
  },
  'efaktura.status': {
    type: 'string',
    values: EFAKTURA_STATUSES,
    base: 'not_found',
    description: 'What the eFaktura lookup and agreement register say about this consumer and supplier',
    source: 'eFaktura receiver lookup and known agreements',
  },
  'amount.payable': {
    type: 'number',
    base: 1250,
    description: 'Amount due for payment (BT-115), in the document currency',
    source: 'computed totals',
  },
  'amount.currency': {
    type: 'string',
    format: 'currency',
    base: 'NOK',
    description: 'Document currency, ISO 4217 (BT-5)',
    source: 'invoice.currency',
  },
  'supplier.orgNumber': {
    type: 'string',
    format: 'orgnr',
    base: '123456785',
    description: 'Supplier organisation number, 9 digits as text (leading zeros matter)',
    source: 'invoice.supplier.taxId',
  },
  'supplier.branch': {
    type: 'string',
    base: '',
    description: "Supplier branch ('' when none)",
    source: 'invoice.branch',
  },
  tags: {
    type: 'string[]',
    base: [],
    description: 'Free tags from the ERP; test with {"in": ["tag", {"var": "tags"}]}',
    source: 'invoice.tags',
  },
  issueDate: {
    type: 'string',
    format: 'date',
    base: '2026-09-01',
    description: 'Issue date YYYY-MM-DD (BT-2); compare as text: {"<": [{"var": "issueDate"}, "2027-01-01"]}',
    source: 'invoice.issueDate',
  },
};

/** One fact as the linter and the docs see it. */
export interface FactDescription {
  path: FactPath;
  type: FactType;
  description: string;
  source: string;
  base: unknown;
  values?: Readonly<Record<string, string>>;
  format?: FactFormat;
}

export const FACTS: readonly FactDescription[] = Object.entries(FACT_SCHEMA).map(([path, spec]) => ({
  path: path as FactPath,
  ...(spec as Omit<FactDescription, 'path'>),
}));

export const FACT_PATHS: readonly string[] = FACTS.map((fact) => fact.path);

const FACTS_BY_PATH = new Map<string, FactDescription>(FACTS.map((fact) => [fact.path, fact]));

/** Object paths (`customer`, `peppol`, …): reading one is a mistake the linter explains. */
export const FACT_GROUPS: readonly string[] = [...new Set(FACT_PATHS.flatMap((path) => path.split('.').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('.'))))];

export function factAt(path: string): FactDescription | undefined {
  return FACTS_BY_PATH.get(path);
}

export function suggestFact(path: string): string | undefined {
  return didYouMean(path, FACT_PATHS);
}

/** Leaves under an object path, for "customer is an object; read customer.kind, …". */
export function factsUnder(group: string): string[] {
  return FACT_PATHS.filter((path) => path.startsWith(`${group}.`));
}

/** Sets a dotted path, creating groups on the way. */
export function writeFact(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1)!] = value;
}

function getPath(source: unknown, path: string): unknown {
  let node = source;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function buildBase(): RoutingFacts {
  const base: Record<string, unknown> = {};
  for (const fact of FACTS) writeFact(base, fact.path, structuredClone(fact.base));
  return base as unknown as RoutingFacts;
}

/** The documented base facts: a Norwegian business buyer, not in Peppol, invoice of NOK 1 250 issued 2026-09-01. */
export const BASE_FACTS: Readonly<RoutingFacts> = deepFreeze(buildBase());

export function readFact(facts: unknown, path: string): unknown {
  return getPath(facts, path);
}

/** YYYY-MM-DD and a real calendar day. */
export function isIsoDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}

/** A problem with a given fact value: the pointer is into the partial facts as written (`/customer/kind`). */
export interface FactProblem {
  pointer: string;
  /** Points at the key rather than the value (unknown names). */
  onKey: boolean;
  message: string;
}

function typeOfValue(value: unknown): string {
  if (Array.isArray(value)) return 'list';
  if (value === null) return 'null';
  return typeof value === 'string' ? 'text' : typeof value;
}

const TYPE_WORDS: Record<FactType, string> = { string: 'text', number: 'a number', boolean: 'true or false', 'string[]': 'a list of text' };

/** Checks one value against its fact; returns the problem or undefined. */
export function checkFactValue(fact: FactDescription, value: unknown): string | undefined {
  const wrongType = `${fact.path} is ${TYPE_WORDS[fact.type]}, got ${typeOfValue(value)} ${JSON.stringify(value)}`;
  switch (fact.type) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${wrongType}; write true or false without quotes.`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : `${wrongType}; write the number without quotes.`;
    case 'string[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'string') ? undefined : `${wrongType}; write a list like [vip, print-only].`;
    case 'string': {
      if (typeof value !== 'string') return `${wrongType}; quote it: '${String(value)}'.`;
      if (fact.values && !Object.hasOwn(fact.values, value)) {
        const allowed = Object.keys(fact.values);
        const suggestion = didYouMean(value, allowed);
        return `${fact.path} is one of ${allowed.join(', ')}; '${value}' is none of them.${suggestion ? ` Did you mean '${suggestion}'?` : ''}`;
      }
      if (fact.format === 'date' && !isIsoDate(value)) return `${fact.path} is a date written YYYY-MM-DD; '${value}' is not one.`;
      return undefined;
    }
  }
}

const escapeSegment = (segment: string): string => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Merges partial facts onto a base. Keys may nest (`customer: {kind: consumer}`) or be dotted
 * (`customer.kind: consumer`); lists replace. Unknown names and wrong types are reported, not merged.
 */
export function mergeFacts(partial: unknown, base: Readonly<RoutingFacts> = BASE_FACTS): { facts: RoutingFacts; problems: FactProblem[] } {
  const facts = structuredClone(base) as RoutingFacts;
  const problems: FactProblem[] = [];
  const visit = (value: unknown, prefix: string, pointer: string): void => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push({ pointer, onKey: false, message: `Facts are a map of names to values, e.g. {customer: {kind: consumer}}; got ${typeOfValue(value)}.` });
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${key}` : key;
      const childPointer = `${pointer}/${escapeSegment(key)}`;
      const fact = factAt(path);
      if (fact) {
        const problem = checkFactValue(fact, child);
        if (problem) problems.push({ pointer: childPointer, onKey: false, message: problem });
        else writeFact(facts as unknown as Record<string, unknown>, path, structuredClone(child));
      } else if (FACT_GROUPS.includes(path)) {
        visit(child, path, childPointer);
      } else {
        const suggestion = suggestFact(path);
        problems.push({
          pointer: childPointer,
          onKey: true,
          message: `Unknown fact '${path}'.${suggestion ? ` Did you mean '${suggestion}'?` : ''} Facts are listed by 'fakturaflyt rules facts'.`,
        });
      }
    }
  };
  if (partial !== undefined && partial !== null) visit(partial, '', '');
  return { facts, problems };
}

/** The fact table as Markdown, for `fakturaflyt rules facts` and rules/README.md. */
export function describeFacts(): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  const lines = ['| fact | type | base | meaning |', '|---|---|---|---|'];
  for (const fact of FACTS) {
    const type = fact.values ? Object.keys(fact.values).map((v) => `\`${v}\``).join(' \\| ') : fact.format ? `${fact.type} (${fact.format})` : fact.type;
    lines.push(`| \`${fact.path}\` | ${type} | \`${JSON.stringify(fact.base)}\` | ${cell(fact.description)}. From ${cell(fact.source)}. |`);
  }
  for (const fact of FACTS.filter((candidate) => candidate.values)) {
    lines.push('', `\`${fact.path}\` values:`);
    for (const [value, meaning] of Object.entries(fact.values!)) lines.push(`- \`${value}\`: ${meaning}`);
  }
  return `${lines.join('\n')}\n`;
}
