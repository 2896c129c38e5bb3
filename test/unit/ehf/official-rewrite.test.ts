// The rewrites setup applies to the published Schematron XSLT (scripts/setup-validation.mjs): the installed rules are
// the pinned rewrite of the published files, and each rewrite refuses input it cannot prove it handles. That the
// rewritten rules report the same as the published ones is shown by `npx tsx ehf/official-rewrite-check.ts`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { officialArtefact } from '../../../ehf/official-artefacts.js';

interface Layer {
  id: 'cen' | 'peppol';
  rewrite: { name: string; sha256: string };
}
interface Setup {
  SCHEMATRON_LAYERS: Layer[];
  rewriteLayer(layer: Layer, published: string): string;
  keyDocumentPaths(xslt: string, expected: { uses: number; names: number }): string;
  sharePathPrefixes(xslt: string, expected: { tests: number; variables: number }): string;
  dropEmptyDefaultModeTraversals(xslt: string, expected: number): string;
  applyRulesToCandidates(xslt: string, expected: { applied: string[]; kept: string[] }): string;
  compactFailedAsserts(xslt: string, expected: { compacted: number; kept: number }): string;
  documentsTogether(xslt: string): { allowed: boolean; reason: string };
}
// Through a URL: the setup script is plain JavaScript without type declarations.
const setup = (await import(new URL('../../../scripts/setup-validation.mjs', import.meta.url).href)) as Setup;

const stylesheet = (body: string, root = '') => `<xsl:stylesheet xmlns:cac="urn:cac" xmlns:cbc="urn:cbc" version="2.0"><!--DEFAULT RULES-->
<xsl:template match="text()" priority="-1" />
<xsl:template match="/"><svrl:schematron-output><svrl:active-pattern><xsl:apply-templates /></svrl:active-pattern>${root}</svrl:schematron-output></xsl:template>
${body}</xsl:stylesheet>`;
/** A Schematron pattern as the skeleton compiles it: a mode whose rules walk on to attributes and children. */
const mode = (name: string, rules: [match: string, body: string][]) =>
  rules
    .map(([match, body], i) => `<xsl:template match="${match}" mode="${name}" priority="${1000 + i}">${body}<xsl:apply-templates mode="${name}" select="@*|*" /></xsl:template>`)
    .join('') +
  `<xsl:template match="text()" mode="${name}" priority="-1" /><xsl:template match="@*|node()" mode="${name}" priority="-2"><xsl:apply-templates mode="${name}" select="@*|*" /></xsl:template>`;
const assertion = (test: string, text = 'text') => `<xsl:choose><xsl:when test="${test}" /><xsl:otherwise>
<svrl:failed-assert test="${test}">
  <xsl:attribute name="id">R-1</xsl:attribute>
  <xsl:attribute name="flag">fatal</xsl:attribute>
  <xsl:attribute name="location"><xsl:apply-templates mode="schematron-select-full-path" select="." /></xsl:attribute>
  <svrl:text>${text}</svrl:text>
</svrl:failed-assert></xsl:otherwise></xsl:choose>`;

describe.each(setup.SCHEMATRON_LAYERS)('the installed $id rules', (layer) => {
  it('were compiled from the pinned rewrite of the published XSLT', () => {
    const published = readFileSync(officialArtefact('xslt', `${layer.id}.xslt`), 'utf8');
    const installed = readFileSync(officialArtefact('xslt', `${layer.id}.${layer.rewrite.name}.xslt`), 'utf8');
    expect(setup.rewriteLayer(layer, published) === installed).toBe(true);
  });
});

describe('keyDocumentPaths', () => {
  it('looks up document-wide element and attribute paths through the keys, and leaves string literals alone', () => {
    const xslt = setup.keyDocumentPaths(stylesheet(assertion("exists(//cac:Party[cbc:ID = 'a //cbc:Note']/cbc:ID) and not(//@schemeName)")), { uses: 2, names: 2 });
    expect(xslt).toContain(
      `test="exists((key('ff-elements-by-name', 'Party')/self::cac:Party)[cbc:ID = 'a //cbc:Note']/cbc:ID) and not((key('ff-attributes-by-name', 'schemeName')/self::attribute(schemeName)))"`,
    );
    expect(xslt).toContain('<xsl:key name="ff-elements-by-name" match="*" use="local-name()" />');
    // The report keeps the published test text.
    expect(xslt).toContain(`<svrl:failed-assert test="exists(//cac:Party[cbc:ID = 'a //cbc:Note']/cbc:ID) and not(//@schemeName)">`);
  });

  it('does not touch a path that continues another (a//b) or starts at a variable', () => {
    const published = stylesheet(assertion('exists(cac:Item//cac:Party) or exists($x//cac:Party)'));
    expect(() => setup.keyDocumentPaths(published, { uses: 0, names: 0 })).not.toThrow();
  });

  it('refuses a predicate that may be positional, where //x[1] (first per parent) and a lookup[1] differ', () => {
    expect(() => setup.keyDocumentPaths(stylesheet(assertion('exists(//cac:Party[1])')), { uses: 1, names: 1 })).toThrow(/positional/);
    expect(() => setup.keyDocumentPaths(stylesheet(assertion('exists(//cac:Party[position() = 1])')), { uses: 1, names: 1 })).toThrow(/positional/);
    expect(() => setup.keyDocumentPaths(stylesheet(assertion('exists(//cac:Party[cbc:ID])')), { uses: 1, names: 1 })).toThrow(/positional/);
  });

  it('fails loudly when the published rules hold a different number of such paths', () => {
    expect(() => setup.keyDocumentPaths(stylesheet(assertion('not(//cac:Party)')), { uses: 2, names: 1 })).toThrow(/expected 2/);
  });
});

describe('sharePathPrefixes', () => {
  it('binds the leading steps two tests of a rule share, once, and continues from the variable', () => {
    const rule = `${assertion('not(cac:Delivery/cac:Shipment)')}${assertion('(count(cac:Delivery/cac:DeliveryParty/cbc:Name) &lt;= 1)')}${assertion('not(cac:Other/cbc:Name)')}`;
    const xslt = setup.sharePathPrefixes(stylesheet(mode('M1', [['/cac:Invoice', rule]])), { tests: 2, variables: 1 });
    expect(xslt).toContain('<xsl:variable name="ff-path.cac-Delivery" select="cac:Delivery" />');
    expect(xslt).toContain('<xsl:when test="not($ff-path.cac-Delivery/cac:Shipment)"');
    expect(xslt).toContain('<xsl:when test="(count($ff-path.cac-Delivery/cac:DeliveryParty/cbc:Name) &lt;= 1)"');
    expect(xslt).toContain('<xsl:when test="not(cac:Other/cbc:Name)"');
  });
});

describe('applyRulesToCandidates', () => {
  const modes = mode('M1', [['cac:Party[cbc:ID]', ''], ['cbc:ID | cbc:Note/@lang', '']]) + mode('M2', [['//*[not(*)]', '']]);
  const root = '<xsl:apply-templates mode="M1" select="/" /><xsl:apply-templates mode="M2" select="/" />';

  it('applies a mode whose rules all match by name to the nodes of those names, which no longer walk on', () => {
    const xslt = setup.applyRulesToCandidates(stylesheet(modes, root), { applied: ['M1'], kept: ['M2'] });
    expect(xslt).toContain(`<xsl:apply-templates mode="M1" select="key('ff-elements-by-name', ('ID', 'Party')) | key('ff-attributes-by-name', 'lang')" />`);
    expect(xslt).not.toContain('<xsl:apply-templates mode="M1" select="@*|*" />');
    // A rule that matches any element keeps its mode a walk.
    expect(xslt).toContain('<xsl:apply-templates mode="M2" select="/" />');
    expect(xslt.split('<xsl:apply-templates mode="M2" select="@*|*" />')).toHaveLength(3);
  });

  it('keeps the walk where a rule asks for its position among the nodes applied', () => {
    const positional = mode('M1', [['cac:Party', assertion('position() = 1')]]);
    const xslt = setup.applyRulesToCandidates(stylesheet(positional, '<xsl:apply-templates mode="M1" select="/" />'), { applied: [], kept: ['M1'] });
    expect(xslt).toContain('<xsl:apply-templates mode="M1" select="/" />');
  });
});

describe('dropEmptyDefaultModeTraversals', () => {
  it('drops the walks in svrl:active-pattern', () => {
    expect(setup.dropEmptyDefaultModeTraversals(stylesheet(''), 1)).not.toContain('<xsl:apply-templates />');
  });

  it('refuses when a default-mode template could make the walk produce output', () => {
    expect(() => setup.dropEmptyDefaultModeTraversals(stylesheet('<xsl:template match="*">x</xsl:template>'), 1)).toThrow(/default mode/);
  });
});

describe('compactFailedAsserts', () => {
  it('shares the report construction, passing each constant exactly (quotes, markup, line breaks)', () => {
    const xslt = setup.compactFailedAsserts(stylesheet(assertion("cbc:ID != ''", '[R-1]-a &lt; b, "c"\n      d')), { compacted: 1, kept: 0 });
    expect(xslt).toContain(`<xsl:with-param name="test" select="'cbc:ID != '''''" />`);
    expect(xslt).toContain(`<xsl:with-param name="text" select="'[R-1]-a &lt; b, &quot;c&quot;&#10;      d'" />`);
    expect(xslt).toContain('<xsl:template name="ff-failed-assert">');
  });

  it('keeps the published form where the test is an attribute value template in the report', () => {
    const xslt = setup.compactFailedAsserts(stylesheet(assertion("matches(., '^[0-9]{9}$')")), { compacted: 0, kept: 1 });
    expect(xslt).toContain(`<svrl:failed-assert test="matches(., '^[0-9]{9}$')">`);
  });
});

describe('documentsTogether', () => {
  const xsl = 'xmlns:xsl="http://www.w3.org/1999/XSL/Transform"';
  const sheet = (globals: string, rules: string) => `<xsl:stylesheet ${xsl} version="2.0">${globals}<xsl:template match="/">${rules}</xsl:template></xsl:stylesheet>`;

  it('allows a stylesheet whose used globals are constants, and ignores globals it never uses', () => {
    const globals = `<xsl:param name="archiveDir" /><xsl:variable name="limit" select="'100'" /><xsl:variable name="letters">ABC</xsl:variable>
      <xsl:variable name="document-uri"><xsl:value-of select="document-uri(/)" /></xsl:variable>`;
    expect(setup.documentsTogether(sheet(globals, '<xsl:value-of select="concat($archiveDir, $limit, $letters)" />'))).toEqual({ allowed: true, reason: expect.stringContaining('3 global') });
  });

  it('refuses a global that may read the document, also when only a match pattern uses it (an error there is "no match")', () => {
    const globals = '<xsl:variable name="supplierCountry" select="/*/cac:AccountingSupplierParty" xmlns:cac="urn:cac" />';
    const verdict = setup.documentsTogether(`<xsl:stylesheet ${xsl} version="2.0">${globals}<xsl:template match="cac:Party[$supplierCountry = 'NO']" xmlns:cac="urn:cac" /></xsl:stylesheet>`);
    expect(verdict).toEqual({ allowed: false, reason: expect.stringContaining('$supplierCountry') });
  });

  it('refuses a used global whose content computes a value', () => {
    const globals = '<xsl:variable name="uri"><xsl:value-of select="document-uri(/)" /></xsl:variable>';
    expect(setup.documentsTogether(sheet(globals, '<xsl:value-of select="$uri" />')).allowed).toBe(false);
  });

  it('is what setup recorded for the installed layers: CEN together, Peppol one by one', () => {
    const versions = JSON.parse(readFileSync(officialArtefact('versions.json'), 'utf8')) as Record<string, { documentsTogether: { allowed: boolean } }>;
    expect([versions.cen!.documentsTogether.allowed, versions.peppol!.documentsTogether.allowed]).toEqual([true, false]);
  });
});
