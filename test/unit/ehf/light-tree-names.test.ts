// The light tree interns names (ehf/compiled-schematron/light-tree.ts keysOf) so that the compiled rules compare
// them by identity; ExtensionContent admits any element, so the table must stop growing, and names past it must
// still be read and found by content.
import { describe, expect, it } from 'vitest';
import { keysOf, parseLightTree } from '../../../ehf/compiled-schematron/light-tree.js';
import { runCompiledSchematron } from '../../../ehf/compiled-schematron/compiled-schematron.js';
import { sampleInvoiceUbl } from '../../../ehf/official-sample-invoices.js';

describe('interned names of the light tree', () => {
  it('gives one string object per name, and a tree built from text carries those objects', () => {
    const a = keysOf('urn:intern-test', 'Line');
    const b = keysOf(['urn:', 'intern-test'].join(''), ['Li', 'ne'].join(''));
    expect(b).toBe(a);
    const doc = parseLightTree('<p:Doc xmlns:p="urn:intern-test"><p:Line/></p:Doc>');
    const line = doc.byName.get(a.key)![0]!;
    expect(line.local).toBe(a.local);
    expect(line.ns).toBe(a.ns);
  });

  it('stops interning at its bound, and names past it still parse, index and validate the same', () => {
    const before = runCompiledSchematron('cen', sampleInvoiceUbl(3)).map((f) => f.id);
    for (let n = 0; n < 12_000; n++) keysOf('urn:flood', `name${n}`);
    // Past the bound a new name gets fresh keys each time: the table did not grow.
    expect(keysOf('urn:flood', 'late')).not.toBe(keysOf('urn:flood', 'late'));
    expect(keysOf('urn:flood', 'late')).toEqual({ ns: 'urn:flood', local: 'late', key: 'urn:flood late', element: 'e urn:flood late', attribute: 'a urn:flood late' });
    const doc = parseLightTree('<f:Doc xmlns:f="urn:flood-2"><f:Late a="1"/><f:Late/></f:Doc>');
    expect(doc.byName.get('urn:flood-2 Late')).toHaveLength(2);
    expect(doc.attributesByName.get(' a')).toHaveLength(1);
    expect(runCompiledSchematron('cen', sampleInvoiceUbl(3)).map((f) => f.id)).toEqual(before);
  });
});
