#!/usr/bin/env node
// Fetches the official EHF / Peppol BIS Billing 3.0 validation artefacts from Maven Central (the only
// place besides npm this project may download from), unpacks what the validator needs into
// .tools/validation/ (git-ignored) and compiles the Schematron XSLT to SaxonJS SEF files, so that
// ehf/official-validation.ts runs the three official layers without Java at run time:
//   1. UBL 2.1 XSD            (com.helger.ubl:ph-ubl21 + the four schemas it imports, from com.helger.xsd)
//   2. CEN EN 16931 UBL 1.3.16 (compiled Schematron XSLT, as bundled in the Peppol 3.0.21 release)
//   3. Peppol BIS Billing 3.0.21 (compiled Schematron XSLT; holds the NO-R rules)
// A second run with the same pins reuses what is there (marker file), so `npm install` stays fast.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { swapIn } from './swap-in.mjs';
import { inflateRawSync } from 'node:zlib';

const PEPPOL_RULES = { groupId: 'com.helger.phive.rules', artifactId: 'phive-rules-peppol', version: '4.3.7' };
const UBL_SCHEMAS = { groupId: 'com.helger.ubl', artifactId: 'ph-ubl21', version: '10.2.0' };
// ph-ubl21 drops schemaLocation from these imports (Java resolves them from the classpath); the schemas
// themselves ship in these jars, which ph-ubl21 10.2.0 depends on.
const IMPORTED_SCHEMAS = [
  { groupId: 'com.helger.xsd', artifactId: 'ph-xsds-ccts-cct-schemamodule', version: '4.1.0', entry: 'schemas/CCTS_CCT_SchemaModule.xsd', file: 'CCTS_CCT_SchemaModule-2.1.xsd', namespace: 'urn:un:unece:uncefact:data:specification:CoreComponentTypeSchemaModule:2' },
  { groupId: 'com.helger.xsd', artifactId: 'ph-xsds-xmldsig', version: '4.1.0', entry: 'schemas/xmldsig-core-schema.xsd', file: 'UBL-xmldsig-core-schema-2.1.xsd', namespace: 'http://www.w3.org/2000/09/xmldsig#' },
  { groupId: 'com.helger.xsd', artifactId: 'ph-xsds-xades132', version: '4.1.0', entry: 'schemas/XAdES01903v132-201601.xsd', file: 'UBL-XAdESv132-2.1.xsd', namespace: 'http://uri.etsi.org/01903/v1.3.2#' },
  { groupId: 'com.helger.xsd', artifactId: 'ph-xsds-xades141', version: '4.1.0', entry: 'schemas/XAdES01903v141-201601.xsd', file: 'UBL-XAdESv141-2.1.xsd', namespace: 'http://uri.etsi.org/01903/v1.4.1#' },
];
export const VALIDATION_ARTEFACTS = [PEPPOL_RULES, UBL_SCHEMAS, ...IMPORTED_SCHEMAS.map(({ groupId, artifactId, version }) => ({ groupId, artifactId, version }))];

// phive-rules-peppol 4.3.7 names the 2026.5 set "aka BIS Billing 3.0.21" (PeppolValidation2026_05); its
// CEN-EN16931-UBL.xslt is byte-identical to phive-rules-en16931 4.3.7's 1.3.16 XSLT apart from the
// licence/version header comment. The sha256 pins make a wrong entry or a changed jar fail loudly.
//
// SaxonJS runs the published XSLT as it is written: a 1000-line invoice took 8 s in CEN and 2 s in Peppol, a typical
// one 90 ms in all. Each layer is therefore compiled from a rewritten copy (the published file stays beside it in
// xslt/): mechanical rewrites that check their input and keep the SVRL report identical, pinned by the sha256 of
// their output. Whoever changes a rewrite runs `npx tsx ehf/official-rewrite-check.ts` (published and rewritten
// rules on every conformance, example and generated document, SVRL compared) before updating the pin.
export const SCHEMATRON_LAYERS = [
  {
    id: 'cen',
    name: 'CEN EN 16931 UBL Schematron',
    version: '1.3.16',
    entry: 'external/schematron/openpeppol/2026.5/xslt/CEN-EN16931-UBL.xslt',
    sha256: 'a8a54aef3699057a3820cd2ebcac8ea3c364a6ebaf4a237e62064a5bc2877c4a',
    rewrite: {
      name: 'fast',
      sha256: 'e5591a2bd54aeda29c1b4a90377a0dcf394a176136b7d0c8b0836383543a3b0f',
      steps: [
        ['document-wide paths (//cac:X, //@y) in assert tests looked up in a key, not walked per assert', (xslt) => keyDocumentPaths(xslt, CEN_DOCUMENT_PATHS)],
        ['leading steps shared by the not(path) and count(path) tests of a rule bound once per rule', (xslt) => sharePathPrefixes(xslt, CEN_SHARED_PREFIXES)],
        ['empty default-mode walks in svrl:active-pattern dropped', (xslt) => dropEmptyDefaultModeTraversals(xslt, 3)],
        ['modes whose rules all match by name applied to the nodes of those names, not walked', (xslt) => applyRulesToCandidates(xslt, CEN_CANDIDATE_MODES)],
        ['failed-assert report built by one named template', (xslt) => compactFailedAsserts(xslt, CEN_FAILED_ASSERTS)],
      ],
    },
  },
  {
    id: 'peppol',
    name: 'Peppol BIS Billing 3.0 Schematron',
    version: '3.0.21',
    entry: 'external/schematron/openpeppol/2026.5/xslt/PEPPOL-EN16931-UBL.xslt',
    sha256: '8c6b935b1bc0bb17d29d949b0aa27ecc62021b613b9fba173cd6bfec6b3f0008',
    rewrite: {
      name: 'fast',
      sha256: '1f2b4bf97f6d1889d4e0b43dad591d15e184f2ca1b0d1df29cd47867532bfe81',
      steps: [
        ['SE-R document-level predicates in match patterns hoisted to global variables', hoistPeppolDocumentPredicates],
        ['empty default-mode walks in svrl:active-pattern dropped', (xslt) => dropEmptyDefaultModeTraversals(xslt, 13)],
        ['modes whose rules all match by name applied to the nodes of those names, not walked', (xslt) => applyRulesToCandidates(xslt, PEPPOL_CANDIDATE_MODES)],
        ['failed-assert report built by one named template', (xslt) => compactFailedAsserts(xslt, PEPPOL_FAILED_ASSERTS)],
      ],
    },
  },
];

/** Applies a layer's rewrite steps in order and checks the result against the pin. */
export function rewriteLayer(layer, published) {
  const rewritten = layer.rewrite.steps.reduce((xslt, [, step]) => step(xslt), published);
  const digest = sha256(rewritten);
  if (digest !== layer.rewrite.sha256) {
    throw new Error(`the ${layer.rewrite.name} rewrite of ${layer.name} ${layer.version} has sha256 ${digest}, pinned ${layer.rewrite.sha256}: if the rewrite was changed on purpose, prove it with \`npx tsx ehf/official-rewrite-check.ts\` and update the pin`);
  }
  return rewritten;
}

// The Swedish rules (SE-R-*) of Peppol 3.0.21 match e.g. `//cac:ClassifiedTaxCategory[//cac:AccountingSupplierParty
// /cac:Party[…'SE'…] and …]`: the predicate scans the whole document once per tax category, so a 1000-line
// invoice takes ~22 s in SaxonJS (Saxon-Java lifts such loop-invariant paths itself; SaxonJS does not).
// We hoist those three document-level paths into global variables, which is the same node set (the global
// context item is the validated document) evaluated once: 1000 lines take ~2 s. Only `match` patterns are
// touched, not assert tests or messages; the SE unit tests in the conformance suite cover every rewritten rule.
const PEPPOL_HOISTED_PATHS = [
  { variable: 'ff-se-supplier-vat', path: "//cac:AccountingSupplierParty/cac:Party[cac:PostalAddress/cac:Country/cbc:IdentificationCode = 'SE' and cac:PartyTaxScheme[cac:TaxScheme/cbc:ID = 'VAT']/substring(cbc:CompanyID, 1, 2) = 'SE']" },
  { variable: 'ff-se-supplier', path: "//cac:AccountingSupplierParty/cac:Party[cac:PostalAddress/cac:Country/cbc:IdentificationCode = 'SE']" },
  { variable: 'ff-se-customer', path: "//cac:AccountingCustomerParty/cac:Party[cac:PostalAddress/cac:Country/cbc:IdentificationCode = 'SE']" },
];
const PEPPOL_HOISTED_USES = 7;

export function hoistPeppolDocumentPredicates(xslt) {
  let uses = 0;
  const rewritten = xslt.replace(/ match="([^"]*)"/g, (_whole, pattern) => {
    for (const { variable, path } of PEPPOL_HOISTED_PATHS) {
      for (const before of ['[', 'and ']) {
        uses += pattern.split(before + path).length - 1;
        pattern = pattern.replaceAll(before + path, `${before}$${variable}`);
      }
    }
    return ` match="${pattern}"`;
  });
  if (uses !== PEPPOL_HOISTED_USES) throw new Error(`expected ${PEPPOL_HOISTED_USES} document-level predicates to hoist in the Peppol XSLT, found ${uses}`);
  const declarations = PEPPOL_HOISTED_PATHS.map(({ variable, path }) => `<xsl:variable name="${variable}" select="${path}" />\n`).join('');
  return insertDeclarations(rewritten, declarations, 'Peppol');
}

const DECLARATIONS_ANCHOR = '<!--DEFAULT RULES-->';

function insertDeclarations(xslt, declarations, layerName) {
  if (!xslt.includes(DECLARATIONS_ANCHOR)) throw new Error(`${layerName} XSLT has no ${DECLARATIONS_ANCHOR} comment to place our declarations before`);
  // A function, so that `$'` or `$&` in the declarations stays text.
  return xslt.replace(DECLARATIONS_ANCHOR, () => declarations + DECLARATIONS_ANCHOR);
}

// The rewrites work on the XPath and text an XML parser would read from the XSLT: entities resolved, line ends
// normalised, and in attribute values line breaks and tabs read as spaces (XML 1.0 §2.11, §3.3.3).
const decodeEntities = (text) =>
  text.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-fA-F]+|#[0-9]+);/g, (_whole, entity) =>
    ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[entity] ?? String.fromCodePoint(entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10)),
  );
// Line breaks and tabs as character references: a parser would turn them into spaces in an attribute value.
const decodeXmlText = (raw) => decodeEntities(raw.replace(/\r\n?/g, '\n'));
const decodeXmlAttribute = (raw) => decodeEntities(raw.replace(/\r\n?|[\n\t]/g, ' '));
const encodeXmlAttribute = (text) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('"', '&quot;').replaceAll('\n', '&#10;').replaceAll('\r', '&#13;').replaceAll('\t', '&#9;');
const xpathString = (text) => `'${text.replaceAll("'", "''")}'`;

/** The expression with the inside of every string literal blanked out, so scans see only code (same length, same offsets). */
function maskStringLiterals(xpath) {
  return xpath.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"/g, (literal) => literal[0] + '_'.repeat(literal.length - 2) + literal[0]);
}

/** Offset just past the `]` that closes the `[` at `open`, in a masked expression. */
function closingBracket(masked, open) {
  let depth = 0;
  for (let i = open; i < masked.length; i++) {
    if (masked[i] === '[' || masked[i] === '(') depth++;
    else if (masked[i] === ']' || masked[i] === ')') depth--;
    if (depth === 0) return i + 1;
  }
  throw new Error(`unbalanced predicate in ${masked}`);
}

/** The predicate's value is a boolean (a comparison, and/or, or not/exists/empty at its top level), never a number. */
function isBooleanPredicate(predicate) {
  const body = predicate.slice(1, -1).trim();
  if (/position\(\)|last\(\)|=>/.test(body)) return false;
  let depth = 0;
  let topLevel = '';
  for (const c of body) {
    if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') depth--;
    else if (depth === 0) topLevel += c;
  }
  if (/[=<>]|\s(and|or|eq|ne|lt|le|gt|ge)\s/.test(topLevel)) return true;
  const call = /^(not|exists|empty|boolean)\(/.exec(body);
  return call !== null && closingBracket(body, call[0].length - 1) === body.length;
}

// Two keys index every element and every attribute of a document by local name, which SaxonJS builds in one pass
// per document the first time a rule looks something up. (By local name, not by `{namespace}local`: SaxonJS's key
// index is a trie over the key string, so a lookup costs one step per character.)
const NAME_KEYS =
  '<xsl:key name="ff-elements-by-name" match="*" use="local-name()" />\n<xsl:key name="ff-attributes-by-name" match="@*" use="local-name()" />\n';

function withNameKeys(xslt, layerName) {
  return xslt.includes('<xsl:key name="ff-elements-by-name"') ? xslt : insertDeclarations(xslt, NAME_KEYS, layerName);
}

/** The prefixes the stylesheet declares, which its patterns and tests use. */
function stylesheetNamespaces(xslt) {
  const root = /<xsl:stylesheet\b[^>]*>/.exec(xslt);
  if (!root) throw new Error('no xsl:stylesheet element');
  return new Map([...root[0].matchAll(/xmlns:([\w.-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

const localName = (qname) => qname.replace(/^@/, '').split(':').at(-1);

/**
 * Every node named like one of `names` (`p:x` elements, `@x` attributes) by local name, in document order: a superset
 * of the nodes with those exact names (a `p:x` lookup also finds a `q:x`).
 */
function nodesByLocalName(names) {
  const lookup = (key, list) => {
    const values = [...new Set(list.map(localName))].sort().map((n) => `'${n}'`);
    return `key('${key}', ${values.length === 1 ? values[0] : `(${values.join(', ')})`})`;
  };
  const elements = names.filter((n) => !n.startsWith('@'));
  const attributes = names.filter((n) => n.startsWith('@'));
  return [...(elements.length ? [lookup('ff-elements-by-name', elements)] : []), ...(attributes.length ? [lookup('ff-attributes-by-name', attributes)] : [])].join(' | ');
}

/** Exactly the nodes `//name` finds (`name` is `p:x` or `@x`), given the context node is in a document. */
function nodesNamed(namespaces, name) {
  if (name.startsWith('@')) return `(${nodesByLocalName([name])}/self::attribute(${name.slice(1)}))`;
  const prefix = name.split(':')[0];
  if (!name.includes(':') || !namespaces.has(prefix)) throw new Error(`${name}: element names here carry a prefix declared on xsl:stylesheet`);
  return `(${nodesByLocalName([name])}/self::${name})`;
}

// CEN 1.3.16 asserts ~235 times on the document root (BR-AE-01, BR-S-02, UBL-CR-652, UBL-DT-08, …) that something
// exists somewhere: `exists(//cac:ClassifiedTaxCategory[…])`, `not(//@schemeName)`. SaxonJS walks the whole document
// for each, ~20 ms per walk at 1000 lines. `//cac:X` is every cac:X element of the document the context node belongs
// to, in document order, and so is `(key('ff-elements-by-name', 'X')/self::cac:X)`. The predicates that follow such
// a path are all boolean (checked), so they filter the same nodes whether applied per parent (the `//` step) or to
// the whole lookup.
const CEN_DOCUMENT_PATHS = { uses: 235, names: 47 };
const DOCUMENT_PATH = /(?<![\w)\].*@:/}$-])\/\/(@?[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)(?![\w.:(-])/g;

export function keyDocumentPaths(xslt, expected) {
  const namespaces = stylesheetNamespaces(xslt);
  const names = new Set();
  let uses = 0;
  const rewritten = xslt.replace(/(<xsl:(?:when|if) test=")([^"]*)"/g, (whole, open, raw) => {
    const xpath = decodeXmlAttribute(raw);
    const masked = maskStringLiterals(xpath);
    const found = [...masked.matchAll(DOCUMENT_PATH)];
    if (found.length === 0) return whole;
    let result = xpath;
    for (const match of found.reverse()) {
      const [path, name] = match;
      for (let at = match.index + path.length; masked[at] === '['; ) {
        const end = closingBracket(masked, at);
        if (!isBooleanPredicate(masked.slice(at, end))) throw new Error(`${path} in \`${xpath}\` has a predicate that may be positional: ${xpath.slice(at, end)}`);
        at = end;
      }
      result = `${result.slice(0, match.index)}${nodesNamed(namespaces, name)}${result.slice(match.index + path.length)}`;
      names.add(path);
      uses++;
    }
    return `${open}${encodeXmlAttribute(result)}"`;
  });
  if (uses !== expected.uses || names.size !== expected.names) {
    throw new Error(`expected ${expected.uses} document-wide paths (${expected.names} distinct) in the assert tests, found ${uses} (${names.size})`);
  }
  return withNameKeys(rewritten, 'CEN');
}

// CEN's UBL-CR rules assert on the document root ~650 times that an element UBL allows but EN 16931 does not use is
// absent: `not(cac:Delivery/cac:Shipment)`, `not((cac:InvoiceLine|cac:CreditNoteLine)/cac:Item/cac:HazardousItem)`,
// `(count(cac:PaymentTerms/cbc:Note) <= 1)`. Each walks its path from the root again (a 1000-line invoice has its
// lines walked ~60 times). Where two such paths in a rule share leading steps, the rule binds each shared prefix
// to a variable once, at its start, with the same context node: `not($ff-path.cac-Delivery/cac:Shipment)`. `/` is
// associative over node sequences, so `$p/c` with `$p := a/b` is `a/b/c`. Only tests that are exactly `not(path)` or
// `count(path) <= n` with plain name steps are touched.
const CEN_SHARED_PREFIXES = { tests: 644, variables: 67 };
const PLAIN_STEP = String.raw`(?:(?:cac|cbc|ext):[A-Za-z]+|\((?:cac|cbc):[A-Za-z]+(?:\|(?:cac|cbc):[A-Za-z]+)*\))`;
const PLAIN_PATH = `${PLAIN_STEP}(?:/${PLAIN_STEP})*(?:/@[A-Za-z]+)?`;
const PATH_TESTS = [new RegExp(`^(not\\()(${PLAIN_PATH})(\\))$`), new RegExp(`^(\\(?count\\()(${PLAIN_PATH})(\\) <= ?\\d+\\)?)$`)];
const RULE_TEMPLATE = /(<xsl:template match="[^"]*" mode="M\d+" priority="\d+">)([\s\S]*?)(<\/xsl:template>)/g;

const prefixVariable = (steps) => `ff-path.${steps.map((s) => s.replace(/[()]/g, '').replaceAll('|', '_').replaceAll(':', '-')).join('.')}`;

export function sharePathPrefixes(xslt, expected) {
  let tests = 0;
  let variables = 0;
  const pathTest = (raw) => {
    const test = decodeXmlAttribute(raw).trim();
    for (const shape of PATH_TESTS) {
      const match = shape.exec(test);
      if (match) return { open: match[1], steps: match[2].split('/'), close: match[3] };
    }
    return undefined;
  };
  const rewritten = xslt.replace(RULE_TEMPLATE, (whole, open, body, close) => {
    const uses = new Map();
    for (const [, raw] of body.matchAll(/<xsl:when test="([^"]*)"/g)) {
      const found = pathTest(raw);
      for (let k = 1; k < (found?.steps.length ?? 0); k++) {
        const prefix = found.steps.slice(0, k).join('/');
        uses.set(prefix, (uses.get(prefix) ?? 0) + 1);
      }
    }
    // A prefix of a shared prefix is shared too, so each variable can build on the one before it.
    const shared = new Set([...uses].filter(([, count]) => count >= 2).map(([prefix]) => prefix));
    if (shared.size === 0) return whole;
    const declarations = [...shared]
      .map((prefix) => prefix.split('/'))
      .sort((a, b) => a.length - b.length || a.join('/').localeCompare(b.join('/')))
      .map((steps) => {
        const parent = steps.length > 1 ? `$${prefixVariable(steps.slice(0, -1))}/` : '';
        return `<xsl:variable name="${prefixVariable(steps)}" select="${parent}${steps.at(-1)}" />`;
      });
    variables += declarations.length;
    const newBody = body.replace(/<xsl:when test="([^"]*)"/g, (when, raw) => {
      const found = pathTest(raw);
      for (let k = (found?.steps.length ?? 0) - 1; k >= 1; k--) {
        if (!shared.has(found.steps.slice(0, k).join('/'))) continue;
        tests++;
        return `<xsl:when test="${encodeXmlAttribute(`${found.open}$${prefixVariable(found.steps.slice(0, k))}/${found.steps.slice(k).join('/')}${found.close}`)}"`;
      }
      return when;
    });
    return `${open}${declarations.join('')}${newBody}${close}`;
  });
  if (tests !== expected.tests || variables !== expected.variables) {
    throw new Error(`expected ${expected.tests} path tests to share ${expected.variables} prefixes, found ${tests} and ${variables}`);
  }
  return rewritten;
}

// Each Schematron pattern is a mode, and the skeleton runs it as a walk over every element and attribute of the
// document (apply-templates to `/`, each rule and the fallback rule applying templates to `@*|*`): 13 walks in
// Peppol, 3 in CEN, ~5 ms per walk per 100 lines, mostly spent finding that no rule matches. Where every rule of a
// mode matches by name (its pattern's last step is `p:name` or `@name`), only nodes of those names can fire a rule;
// so the mode is applied to just the nodes with those local names (a superset: the others would have met only the
// fallback rule, which writes nothing), in document order, from the key index, and the rules no longer walk on.
// Every node still meets the same rules in the same order, and the report keeps its order: a walk produces its
// output in document order (a rule's own output before its walk to attributes, then children). Modes with a rule
// that matches by wildcard (CEN's `//*[ends-with(name(), 'Amount')…]`, Peppol's empty-element rule) keep the walk,
// as does any mode whose rules use position() or last() outside a predicate (the position would change).
const CEN_CANDIDATE_MODES = { applied: ['M11', 'M13'], kept: ['M12'] };
const PEPPOL_CANDIDATE_MODES = { applied: ['M27', 'M28', 'M29', 'M30', 'M31', 'M32', 'M37', 'M38', 'M39', 'M40', 'M41', 'M42'], kept: ['M26'] };
const MODE_TEMPLATE = /<xsl:template match="([^"]*)" mode="(M\d+)" priority="(-?[\d.]+)">([\s\S]*?)<\/xsl:template>/g;

/** Splits a masked expression at `separator` where it is outside brackets and parentheses. */
function splitTopLevel(masked, separator) {
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < masked.length; i++) {
    const c = masked[i];
    if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') depth--;
    else if (c === separator && depth === 0) {
      parts.push(masked.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(masked.slice(start));
  return parts.map((p) => p.trim());
}

function withoutPredicates(masked) {
  let depth = 0;
  let out = '';
  for (const c of masked) {
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (depth === 0) out += c;
  }
  return out;
}

/** The names a pattern's last steps test (`cac:X`, `@x`), or undefined if one is a wildcard or a kind test. */
function lastStepNames(pattern) {
  const names = [];
  for (const branch of splitTopLevel(withoutPredicates(maskStringLiterals(pattern)), '|')) {
    if (branch.startsWith('(') && branch.endsWith(')') && closingBracket(branch, 0) === branch.length) {
      const inner = lastStepNames(branch.slice(1, -1));
      if (!inner) return undefined;
      names.push(...inner);
      continue;
    }
    const last = branch.split('/').at(-1).trim();
    if (!/^(@[A-Za-z_][\w.-]*|[A-Za-z_][\w.-]*:[A-Za-z_][\w.-]*)$/.test(last)) return undefined;
    names.push(last);
  }
  return names;
}

/** position() or last() outside any predicate: the template asks where its node stands among those applied. */
function usesFocusPosition(body) {
  for (const [, raw] of body.matchAll(/\s(?:test|select)="([^"]*)"/g)) {
    if (/\b(position|last)\(\)/.test(withoutPredicates(maskStringLiterals(decodeXmlAttribute(raw))))) return true;
  }
  return false;
}

export function applyRulesToCandidates(xslt, expected) {
  const modes = new Map();
  for (const [, match, mode, priority, body] of xslt.matchAll(MODE_TEMPLATE)) {
    const entry = modes.get(mode) ?? { names: new Set(), byName: true, rules: 0 };
    modes.set(mode, entry);
    if (Number(priority) < 0) continue; // the skeleton's fallback rules, `@*|node()`
    entry.rules++;
    const names = lastStepNames(decodeXmlAttribute(match));
    if (!names || usesFocusPosition(body)) entry.byName = false;
    else names.forEach((n) => entry.names.add(n));
  }
  const applied = [...modes].filter(([, m]) => m.byName).map(([mode]) => mode);
  const kept = [...modes].filter(([, m]) => !m.byName).map(([mode]) => mode);
  if (applied.join() !== expected.applied.join() || kept.join() !== expected.kept.join()) {
    throw new Error(`expected to apply modes ${expected.applied.join(' ')} by name and keep ${expected.kept.join(' ')}, found ${applied.join(' ')} and ${kept.join(' ')}`);
  }
  let rewritten = xslt;
  for (const mode of applied) {
    const { names, rules } = modes.get(mode);
    const start = `<xsl:apply-templates mode="${mode}" select="/" />`;
    const walk = `<xsl:apply-templates mode="${mode}" select="@*|*" />`;
    const walks = rewritten.split(walk).length - 1;
    if (rewritten.split(start).length !== 2 || walks !== rules + 1) {
      throw new Error(`mode ${mode}: expected one start from the root and ${rules + 1} walks (one per rule and the fallback), found ${walks}`);
    }
    const candidates = nodesByLocalName([...names]);
    rewritten = rewritten.replace(start, () => `<xsl:apply-templates mode="${mode}" select="${encodeXmlAttribute(candidates)}" />`).replaceAll(walk, '');
  }
  return withNameKeys(rewritten, 'Schematron');
}

// The Schematron skeleton writes `<xsl:apply-templates />` into every svrl:active-pattern: a walk over the whole
// document in the default mode, once per pattern (3 in CEN, 13 in Peppol), ~25 % of Peppol's time. The default mode
// holds only `match="/"` (never reached: the walk starts at the document's children) and an empty `match="text()"`,
// and elements fall to the built-in rule that just walks on, so the walk adds nothing to the report. Checked below.
const DEFAULT_MODE_TEMPLATES = ['<xsl:template match="text()" priority="-1" />', '<xsl:template match="/">'];
const EMPTY_DEFAULT_WALK = /<xsl:apply-templates \/>(\s*<\/svrl:active-pattern>)/g;

export function dropEmptyDefaultModeTraversals(xslt, expected) {
  const defaultMode = [...xslt.matchAll(/<xsl:template(?![^>]*\smode=)[^>]*>/g)].map((m) => m[0]);
  if (defaultMode.length !== DEFAULT_MODE_TEMPLATES.length || !DEFAULT_MODE_TEMPLATES.every((t) => defaultMode.includes(t)) || /<xsl:(import|include|mode)\b|#default|#all/.test(xslt)) {
    throw new Error(`the default mode is not the skeleton's (${defaultMode.join(' ')}): the walks in svrl:active-pattern may produce output`);
  }
  const walks = xslt.match(EMPTY_DEFAULT_WALK)?.length ?? 0;
  if (walks !== expected || (xslt.match(/<xsl:apply-templates \/>/g)?.length ?? 0) !== expected) {
    throw new Error(`expected ${expected} default-mode walks, all in svrl:active-pattern; found ${walks}`);
  }
  return xslt.replace(EMPTY_DEFAULT_WALK, '$1');
}

// Each assert builds its svrl:failed-assert in place: ~37 instructions, 60 % of CEN's compiled stylesheet. SaxonJS
// walks the whole compiled tree on every transform (~18 ms for CEN), so the report is built by one named template
// that each assert calls with its constants (test, id, flag, text; ~9 instructions); xsl:call-template keeps the
// context node, from which the template computes the location as before. (Passing just the assert's number into a
// table of constants would save another 1 ms per transform, but SaxonJS finds the n-th item of a global sequence by
// counting, which made every failed assert cost ~0.5 ms.) An assert whose `test` attribute holds `{…}` (an attribute
// value template in the published report, e.g. Peppol's `'^[0-9]{9}$'` reported as `'^[0-9]9$'`) keeps its form.
const CEN_FAILED_ASSERTS = { compacted: 979, kept: 0 };
const PEPPOL_FAILED_ASSERTS = { compacted: 152, kept: 13 };
const FAILED_ASSERT =
  /<svrl:failed-assert test="([^"]*)">\s*<xsl:attribute name="id">([^<]*)<\/xsl:attribute>\s*<xsl:attribute name="flag">([^<]*)<\/xsl:attribute>\s*<xsl:attribute name="location">\s*<xsl:apply-templates mode="schematron-select-full-path" select="\." \/>\s*<\/xsl:attribute>\s*<svrl:text>([^<]*)<\/svrl:text>\s*<\/svrl:failed-assert>/g;
const FAILED_ASSERT_TEMPLATE = `<xsl:template name="ff-failed-assert">
  <xsl:param name="test" /><xsl:param name="id" /><xsl:param name="flag" /><xsl:param name="text" />
  <svrl:failed-assert test="{$test}" id="{$id}" flag="{$flag}">
    <xsl:attribute name="location"><xsl:apply-templates mode="schematron-select-full-path" select="." /></xsl:attribute>
    <svrl:text><xsl:value-of select="$text" /></svrl:text>
  </svrl:failed-assert>
</xsl:template>
`;

export function compactFailedAsserts(xslt, expected) {
  let compacted = 0;
  let kept = 0;
  const rewritten = xslt.replace(FAILED_ASSERT, (whole, test, id, flag, text) => {
    if (/[{}]/.test(test + id + flag)) {
      kept++;
      return whole;
    }
    compacted++;
    const param = (name, value) => `<xsl:with-param name="${name}" select="${encodeXmlAttribute(xpathString(value))}" />`;
    const params = [param('test', decodeXmlAttribute(test)), param('id', decodeXmlText(id)), param('flag', decodeXmlText(flag)), param('text', decodeXmlText(text))];
    return `<xsl:call-template name="ff-failed-assert">${params.join('')}</xsl:call-template>`;
  });
  const total = xslt.match(/<svrl:failed-assert\b/g)?.length ?? 0;
  if (compacted !== expected.compacted || kept !== expected.kept || total !== compacted + kept || /<svrl:successful-report\b/.test(xslt)) {
    throw new Error(`expected ${expected.compacted} failed-asserts to share the named template and ${expected.kept} to keep their form, found ${compacted} and ${kept} of ${total}`);
  }
  return insertDeclarations(rewritten, FAILED_ASSERT_TEMPLATE, 'Schematron');
}

/**
 * Whether a layer may validate several documents in one transformation (ehf/official-schematron.ts, svrlReports):
 * only if no global variable or parameter it uses can depend on the document. A transformation evaluates each global
 * once, and has no global context item when it runs on several documents; a global that read the document would then
 * raise XPDY0002, and where it is used in a match pattern XSLT turns that error into "does not match", so rules would
 * silently not fire. Conservative: every global that is referenced must be empty, a literal, or plain text.
 * Returns `{ allowed, reason }` for versions.json.
 */
export function documentsTogether(xslt) {
  const SaxonJS = createRequire(import.meta.url)('saxon-js');
  const globals = SaxonJS.XPath.evaluate(
    `for $g in parse-xml($xslt)/xsl:stylesheet/(xsl:variable | xsl:param)
       return map { 'name': string($g/@name), 'select': string($g/@select), 'hasSelect': exists($g/@select), 'instructions': exists($g/*) }`,
    null,
    { params: { xslt }, namespaceContext: { xsl: 'http://www.w3.org/1999/XSL/Transform' }, resultForm: 'array' },
  );
  const literal = /^\s*('[^']*'|"[^"]*"|-?\d+(\.\d+)?|\(\))\s*$/;
  const escape = (name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const used = globals.filter((g) => new RegExp(`\\$${escape(g.name)}(?![\\w.-])`).test(xslt));
  const readers = used.filter((g) => (g.hasSelect ? !literal.test(g.select) : g.instructions));
  return readers.length === 0
    ? { allowed: true, reason: `the ${used.length} global variables and parameters it uses (of ${globals.length}) are constants` }
    : { allowed: false, reason: `it uses global variables that may read the document: ${readers.map((g) => `$${g.name}`).join(', ')}` };
}

const UBL_MAIN_SCHEMAS = ['UBL-Invoice-2.1.xsd', 'UBL-CreditNote-2.1.xsd'];
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';
// Bump when the layout under .tools/validation changes, so an old copy is rebuilt.
const LAYOUT = 3;

const coordinates = ({ groupId, artifactId, version }) => `${groupId}:${artifactId}:${version}`;
const jarName = ({ artifactId, version }) => `${artifactId}-${version}.jar`;
const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const log = (line) => console.log(`[setup] validation: ${line}`);

export const validationDir = (root) => join(root, '.tools', 'validation');

/** The files ehf/official-validation.ts reads; all must exist for a copy to count as installed. */
export function validationFiles(dir) {
  return {
    versions: join(dir, 'versions.json'),
    xsd: Object.fromEntries(UBL_MAIN_SCHEMAS.map((name) => [name, join(dir, 'xsd', 'maindoc', name)])),
    sef: Object.fromEntries(SCHEMATRON_LAYERS.map((layer) => [layer.id, join(dir, 'sef', `${layer.id}.sef.json`)])),
  };
}

function wantedMarker() {
  return JSON.stringify({ layout: LAYOUT, artefacts: VALIDATION_ARTEFACTS.map(coordinates), layers: SCHEMATRON_LAYERS.map((l) => `${l.id}@${l.version}:${l.sha256}:${l.rewrite ? `${l.rewrite.name}:${l.rewrite.sha256}` : 'as-published'}`) });
}

function isInstalled(dir) {
  const marker = join(dir, '.installed');
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== wantedMarker()) return false;
  const files = validationFiles(dir);
  return [files.versions, ...Object.values(files.xsd), ...Object.values(files.sef)].every((file) => existsSync(file));
}

function requireTool(command, args, fix) {
  const probe = spawnSync(command, args, { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(`${command} is missing or broken (${probe.error?.message ?? (probe.stderr || probe.stdout).trim().split('\n')[0]}): ${fix}, then run \`npm run setup\`.`);
  }
}

function mavenPom(artefacts) {
  const dependencies = artefacts
    .map((a) => `    <dependency><groupId>${a.groupId}</groupId><artifactId>${a.artifactId}</artifactId><version>${a.version}</version></dependency>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.fakturaflyt</groupId>
  <artifactId>validation-artefacts</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
${dependencies}
  </dependencies>
</project>
`;
}

/** One `mvn` run for all jars: a throwaway pom listing them, copied without their transitive dependencies. */
function fetchJars(workDir) {
  const jarsDir = join(workDir, 'jars');
  writeFileSync(join(workDir, 'pom.xml'), mavenPom(VALIDATION_ARTEFACTS));
  const args = ['-B', '-q', '-Dstyle.color=never', '-f', join(workDir, 'pom.xml'), `${DEPENDENCY_PLUGIN}:copy-dependencies`, `-DoutputDirectory=${jarsDir}`, '-DexcludeTransitive=true'];
  const run = spawnSync('mvn', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error || run.status !== 0) {
    // Maven's first error line names the artefact and the repository; the rest is boilerplate.
    const errors = `${run.stdout ?? ''}\n${run.stderr ?? ''}`
      .replace(/\x1b\[[0-9;]*m/g, '')
      .split('\n')
      .filter((l) => /^\[ERROR\] \S/.test(l));
    const cause = (errors.find((l) => /Could not|Failed to/.test(l)) ?? errors[0] ?? run.error?.message ?? `exit ${run.status}`)
      .replace(/^\[ERROR\] /, '')
      .replace(/ -> \[Help 1\]$/, '');
    throw new Error(`mvn could not fetch the validation artefacts (is Maven Central or the mirror in ~/.m2/settings.xml reachable?): ${cause}`);
  }
  return jarsDir;
}

/** Reads the named entries of a jar (a zip file) with node:zlib, so setup needs neither `unzip` nor `jar`. */
export function readZipEntries(zip, names) {
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('not a zip file (no end of central directory)');
  const found = new Map();
  let offset = zip.readUInt32LE(end + 16);
  for (let n = zip.readUInt16LE(end + 10); n > 0; n--) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const local = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
    if (!names(name)) continue;
    // The local header repeats name and extra field with lengths that may differ from the central ones.
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + compressedSize);
    if (method === 0) found.set(name, Buffer.from(data));
    else if (method === 8) found.set(name, inflateRawSync(data));
    else throw new Error(`zip entry ${name} uses unsupported compression method ${method}`);
  }
  return found;
}

function unpackSchemas(jarsDir, outDir) {
  const ublJar = readFileSync(join(jarsDir, jarName(UBL_SCHEMAS)));
  const entries = readZipEntries(ublJar, (name) => /^external\/schemas\/ubl21\/common\/[^/]+\.xsd$/.test(name) || UBL_MAIN_SCHEMAS.some((m) => name === `external/schemas/ubl21/maindoc/${m}`));
  const locationOf = new Map(IMPORTED_SCHEMAS.map((s) => [s.namespace, s.file]));
  for (const schema of IMPORTED_SCHEMAS) {
    const found = readZipEntries(readFileSync(join(jarsDir, jarName(schema))), (name) => name === schema.entry).get(schema.entry);
    if (!found) throw new Error(`${coordinates(schema)} has no ${schema.entry}`);
    entries.set(`external/schemas/ubl21/common/${schema.file}`, found);
  }
  for (const [entry, data] of entries) {
    const relative = entry.replace('external/schemas/ubl21/', '');
    // libxml2 resolves imports only through schemaLocation; point each bare import at its sibling file.
    const text = data.toString('utf8').replace(/<xsd:import\s+namespace\s*=\s*"([^"]+)"\s*\/>/g, (whole, namespace) => {
      const file = locationOf.get(namespace);
      if (!file) throw new Error(`${entry}: import of ${namespace} has no schemaLocation and no known schema`);
      return `<xsd:import namespace="${namespace}" schemaLocation="${relative.startsWith('maindoc/') ? '../common/' : ''}${file}"/>`;
    });
    const target = join(outDir, 'xsd', relative);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  return entries.size;
}

function unpackSchematron(jarsDir, outDir) {
  const entries = readZipEntries(readFileSync(join(jarsDir, jarName(PEPPOL_RULES))), (name) => SCHEMATRON_LAYERS.some((l) => l.entry === name));
  mkdirSync(join(outDir, 'xslt'), { recursive: true });
  return SCHEMATRON_LAYERS.map((layer) => {
    const data = entries.get(layer.entry);
    if (!data) throw new Error(`${coordinates(PEPPOL_RULES)} has no ${layer.entry}`);
    const digest = sha256(data);
    if (digest !== layer.sha256) throw new Error(`${layer.entry} in ${coordinates(PEPPOL_RULES)} has sha256 ${digest}, expected ${layer.sha256} (${layer.name} ${layer.version})`);
    // Keep the published XSLT beside the one we compile, so the rewrite can be diffed.
    writeFileSync(join(outDir, 'xslt', `${layer.id}.xslt`), data);
    if (!layer.rewrite) return { layer, file: join(outDir, 'xslt', `${layer.id}.xslt`), together: documentsTogether(data.toString('utf8')) };
    const file = join(outDir, 'xslt', `${layer.id}.${layer.rewrite.name}.xslt`);
    const rewritten = rewriteLayer(layer, data.toString('utf8'));
    writeFileSync(file, rewritten);
    return { layer, file, together: documentsTogether(rewritten) };
  });
}

const xslt3Path = (root) => join(root, 'node_modules', 'xslt3', 'xslt3.js');

export function compileSef(root, xsltFile, sefFile) {
  const xslt3 = xslt3Path(root);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [xslt3, `-xsl:${xsltFile}`, `-export:${sefFile}`, '-nogo', '-relocate:on'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 && existsSync(sefFile) ? resolve() : reject(new Error(`xslt3 failed to compile ${xsltFile} (exit ${code}):\n${output.trim()}`))));
  });
}

function readXslt3Version(root) {
  return JSON.parse(readFileSync(join(root, 'node_modules', 'xslt3', 'package.json'), 'utf8')).version;
}

/** Installs into `dir` (default .tools/validation), e.g. `EHF_VALIDATION_DIR=/tmp/v node scripts/setup-validation.mjs`. */
export async function setupValidation({ root, dir = validationDir(root) }) {
  if (isInstalled(dir)) {
    log(`present in ${dir} (CEN ${SCHEMATRON_LAYERS[0].version}, Peppol BIS Billing ${SCHEMATRON_LAYERS[1].version}, UBL 2.1)`);
    return;
  }
  const started = Date.now();
  requireTool('java', ['-version'], 'install a Java runtime (Debian: apt-get install -y openjdk-17-jre-headless)');
  requireTool('mvn', ['-v'], 'install Maven (Debian: apt-get install -y maven)');
  if (!existsSync(xslt3Path(root))) throw new Error(`${xslt3Path(root)} is missing: run \`npm install\` first (the xslt3 package compiles the Schematron XSLT).`);
  const workDir = mkdtempSync(join(tmpdir(), 'fakturaflyt-validation-'));
  const building = `${dir}.building-${process.pid}`;
  try {
    log(`fetching ${VALIDATION_ARTEFACTS.map(coordinates).join(', ')} with mvn`);
    const jarsDir = fetchJars(workDir);
    const jars = VALIDATION_ARTEFACTS.map((a) => {
      const file = join(jarsDir, jarName(a));
      if (!existsSync(file)) throw new Error(`mvn did not deliver ${jarName(a)}`);
      return { coordinates: coordinates(a), bytes: statSync(file).size, sha256: sha256(readFileSync(file)) };
    });
    rmSync(building, { recursive: true, force: true });
    mkdirSync(building, { recursive: true });
    const schemaCount = unpackSchemas(jarsDir, building);
    log(`unpacked ${schemaCount} UBL 2.1 schema files`);
    const xslts = unpackSchematron(jarsDir, building);
    mkdirSync(join(building, 'sef'), { recursive: true });
    log(`compiling ${xslts.map(({ layer }) => `${layer.name} ${layer.version}`).join(' and ')} to SEF with xslt3 (takes ~15 s)`);
    const sefs = validationFiles(building).sef;
    await Promise.all(xslts.map(({ layer, file }) => compileSef(root, file, sefs[layer.id])));
    const versions = {
      ubl: { name: 'OASIS UBL 2.1 XSD', version: '2.1', source: coordinates(UBL_SCHEMAS), imports: IMPORTED_SCHEMAS.map(coordinates) },
      ...Object.fromEntries(
        xslts.map(({ layer, together }) => [layer.id, { name: layer.name, version: layer.version, source: `${coordinates(PEPPOL_RULES)}!/${layer.entry}`, sha256: layer.sha256, ...(layer.rewrite && { rewrite: { name: layer.rewrite.name, file: `xslt/${layer.id}.${layer.rewrite.name}.xslt`, sha256: layer.rewrite.sha256, steps: layer.rewrite.steps.map(([description]) => description) } }), documentsTogether: together }]),
      ),
      compiler: `xslt3 ${readXslt3Version(root)}`,
      artefacts: jars,
    };
    writeFileSync(join(building, 'versions.json'), `${JSON.stringify(versions, null, 2)}\n`);
    writeFileSync(join(building, '.installed'), wantedMarker());
    swapIn(building, dir);
    log(`installed in ${dir} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
    rmSync(building, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  setupValidation({ root, dir: process.env.EHF_VALIDATION_DIR || undefined }).catch((err) => {
    console.error(`[setup] validation failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
