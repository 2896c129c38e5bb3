// The unit tests OpenPeppol publishes with BIS Billing 3.0 (vefa format), run against the Peppol 3.0.21 Schematron
// that setup compiled: the common PEPPOL-* rules, the Norwegian NO-R-* rules, and the other national rule sets that
// ship in the same Schematron (DE, DK, GR, IT, NL, SE). The newest published test corpus is 3.0.19; the two files
// that changed for 3.0.21 come from the 3.0.21 additions and replace their 3.0.19 namesakes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { officialValidationVersions } from '../../../ehf/official-validation.js';
import { readVefaTestSet, runVefaTest, type VefaTest } from '../../../ehf/official-vefa-testset.js';

const conformance = fileURLToPath(new URL('../../../../shared/conformance/', import.meta.url));
const rules319 = 'openpeppol-bis-billing-3.0.19/rules';
const additions321 = 'openpeppol-bis-billing-3.0.21-unit-additions/rules/unit-UBL-PEPPOL';

// Every published test passes, DE-R-019 #1 included: that rule casts the German IBAN's 24-digit check number to
// xs:integer, which the compiled layers compute exactly, as Saxon-Java does. (SaxonJS 2.7, our engine until
// 2026-12-07, computes `xs:integer mod` in doubles and fired on that valid IBAN; this test carried it as a known bug.)

// Rules whose flag 3.0.21 changed after the 3.0.19 tests were written; we expect the 3.0.21 flag, same count.
const FLAG_CHANGES_IN_3_0_21: Record<string, { from: 'fatal' | 'warning'; to: 'fatal' | 'warning'; source: string }> = {
  'DK-R-003': { from: 'warning', to: 'fatal', source: 'OpenPeppol/peppol-bis-invoice-3 PR #223' },
};

function with321Flags(test: VefaTest): { test: VefaTest; changed: string[] } {
  const changed: string[] = [];
  const expected = test.expected.map((e) => {
    const change = FLAG_CHANGES_IN_3_0_21[e.rule];
    if (!change || change.from !== e.flag) return e;
    changed.push(`${e.rule} ${change.from}→${change.to} in 3.0.21 (${change.source})`);
    return { ...e, flag: change.to };
  });
  return { test: { ...test, expected }, changed };
}

/** Every file of a unit-test folder: vefa reads them all, whatever the extension (3.0.19 ships PEPPOL-COMMON-R048.xm). */
function folderFiles(folder: string): string[] {
  return readdirSync(join(conformance, folder))
    .sort()
    .map((name) => `${folder}/${name}`);
}

function peppolUnitTestFiles(): string[] {
  const superseding = new Set(readdirSync(join(conformance, additions321)));
  const folders = readdirSync(join(conformance, rules319))
    .filter((name) => name.startsWith('unit-UBL-'))
    .sort();
  const files = folders.flatMap((folder) =>
    folderFiles(`${rules319}/${folder}`).filter((file) => !(folder === 'unit-UBL-PEPPOL' && superseding.has(file.split('/').pop()!))),
  );
  return [...files, ...folderFiles(additions321)];
}

it('uses the Peppol BIS Billing 3.0.21 rules from setup (npm run setup)', () => {
  expect(officialValidationVersions().peppol).toBe('3.0.21');
});

for (const file of peppolUnitTestFiles()) {
  const set = readVefaTestSet(readFileSync(join(conformance, file), 'utf8'), file);
  describe(file.replace(/^openpeppol-bis-billing-/, ''), () => {
    if (set.tests.length === 0) {
      // 3.0.19's PEPPOL-COMMON-R048.xm has all its tests commented out ("Rule is commented out"); say so.
      it('has no active tests in the published file', () => expect(set.tests).toEqual([]));
    }
    for (const original of set.tests) {
      const { test, changed } = with321Flags(original);
      const name = [`#${test.index} ${test.description}`.trim(), ...changed.map((c) => `[expects ${c}]`)].join(' ');
      it(name, () => {
        expect(runVefaTest(set, test)).toEqual([]);
      });
    }
  });
}
