/**
 * XML 1.0 §4.1 and §4.6: character references and the five predefined entities, the only references a document
 * without a DTD may hold (we accept none). Any other entity reference is an error, thrown as UndefinedEntity. One
 * decoder for both of our XML readers: ehf/xml-tree.ts (our checks) and ehf/compiled-schematron/light-tree.ts.
 */
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export class UndefinedEntity extends Error {}

export function decodeReferences(value: string): string {
  if (value.indexOf('&') < 0) return value;
  return value.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_][\w.-]*);/g, (match, body: string) => {
    if (body.startsWith('#x')) return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(parseInt(body.slice(1), 10));
    const replacement = PREDEFINED[body];
    if (replacement === undefined) throw new UndefinedEntity(`undefined entity ${match}`);
    return replacement;
  });
}
