// The unit tests CEN/TC 434 publishes with the EN 16931 UBL Schematron 1.3.16 (vefa format, configuration tc434-ubl),
// run against the CEN layer as the product runs it, compiled from the official XSLT (the copy Peppol BIS Billing
// 3.0.21 bundles, identical to 1.3.16); and again on the SaxonJS reference with the documents of a file in one
// transformation, as the rewrite check runs the rewritten rules.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { officialValidationVersions } from '../../../ehf/official-validation.js';
import { documentsTogether } from '../../../ehf/official-artefacts.js';
import { readVefaTestSet, runVefaTest, runVefaTestsTogether, type VefaTestSet } from '../../../ehf/official-vefa-testset.js';

const conformance = fileURLToPath(new URL('../../../../shared/conformance/', import.meta.url));
const folders = ['cen-en16931-1.3.16/test/Invoice-unit-UBL', 'cen-en16931-1.3.16/test/CreditNote-unit-UBL'];

it('uses the CEN EN 16931 UBL 1.3.16 rules from setup (npm run setup)', () => {
  expect(officialValidationVersions().cen).toBe('1.3.16');
});

const sets: [string, VefaTestSet][] = folders.flatMap((folder) =>
  readdirSync(join(conformance, folder))
    .sort()
    .map((name): [string, VefaTestSet] => {
      const file = `${folder}/${name}`;
      return [file.replace(/^cen-en16931-1\.3\.16\/test\//, ''), readVefaTestSet(readFileSync(join(conformance, file), 'utf8'), file)];
    }),
);

for (const [name, set] of sets) {
  describe(name, () => {
    if (set.tests.length === 0) it('has no active tests in the published file', () => expect(set.tests).toEqual([]));
    for (const test of set.tests) {
      it(`#${test.index} ${test.description}`.trim(), () => {
        expect(runVefaTest(set, test)).toEqual([]);
      });
    }
  });
}

describe('the documents of each file in one SaxonJS transformation (the reference)', () => {
  it('is what setup allowed for the CEN layer', () => expect(documentsTogether('cen')).toBe(true));
  it.each(sets.filter(([, set]) => set.tests.length > 1))('%s', (_, set) => {
    expect(runVefaTestsTogether(set)).toEqual(set.tests.map(() => []));
  });
});
