// A union names each node once (XPath 2.0 §3.3.3), also when its names are one name twice or two prefixes bound to one
// namespace: the compiled path steps (ehf/compiled-schematron/xpath-compiler.ts stepCandidates, rareCandidates) join
// the name index's lists for an element of many children, where a name repeated must not repeat its nodes. Found in
// review; the official rules have no such union today, a future release may.
import { describe, expect, it } from 'vitest';
import { parseXPath, XPathCompiler, type Env } from '../../../ehf/compiled-schematron/xpath-compiler.js';
import { parseLightTree, XNode } from '../../../ehf/compiled-schematron/light-tree.js';

const compiler = new XPathCompiler({ namespaces: { a: 'urn:x', b: 'urn:x' }, scope: new Map(), frame: { next: 0, size: 0 }, globals: new Map(), functions: new Map() } as never);

function evaluate(xml: string, expr: string): string[] {
  const doc = parseLightTree(xml);
  const env = { vars: [], doc, current: doc.root, global: () => [], memo: new Map() } as unknown as Env;
  const result = compiler.compile(parseXPath(expr))(doc.root.children[0]!, 1, 1, env);
  return result.map((x) => (x instanceof XNode ? `${x.local}@${x.pos}` : String(x)));
}

const children = (count: number) => Array.from({ length: count }, (_, i) => (i % 3 === 0 ? '<a:X><a:Z/></a:X>' : '<a:Y><a:Z/></a:Y>')).join('');

describe('unions of names in compiled paths', () => {
  for (const count of [4, 20]) {
    it(`gives each node once among ${count} children`, () => {
      const xml = `<a:R xmlns:a="urn:x">${children(count)}</a:R>`;
      const xs = Math.ceil(count / 3);
      const once = evaluate(xml, 'a:X/a:Z');
      expect(once).toHaveLength(xs);
      expect(evaluate(xml, '(a:X|a:X)/a:Z')).toEqual(once);
      expect(evaluate(xml, '(a:X|b:X)/a:Z')).toEqual(once);
      expect(evaluate(xml, 'count((a:X|b:X)/a:Z)')).toEqual([String(xs)]);
      expect(evaluate(xml, 'count((a:X|a:Y)/a:Z)')).toEqual([String(count)]);
      // The rare-name lookup from the index (few matches in the whole document) dedupes too.
      expect(evaluate(xml, 'count((a:X|b:X)/a:Z/a:Q)')).toEqual(['0']);
    });
  }
});
