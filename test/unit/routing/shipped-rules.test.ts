/**
 * The repository's real rule set (rules/): lints clean, its own tests pass, and its version is a stable content
 * hash.
 */
import { describe, expect, it } from 'vitest';
import { lintRuleFolder } from '../../../routing/lint.js';
import { buildRuleSet, loadRuleSet } from '../../../routing/load.js';
import { runRuleTests } from '../../../routing/rule-tests.js';
import { ruleSetVersion } from '../../../routing/version.js';

describe('rules/ (shipped)', () => {
  it('lints without errors or warnings', async () => {
    expect(await lintRuleFolder('rules')).toEqual([]);
  });

  it('passes its own tests, every route covered', async () => {
    const loaded = await loadRuleSet('rules');
    const report = runRuleTests(loaded.ruleSet!, loaded.folder.testFiles);
    expect(report.issues).toEqual([]);
    expect(report.failed).toBe(0);
    expect(report.passed).toBeGreaterThanOrEqual(17);
    const decided = new Set(report.results.map((result) => result.decision?.ruleId));
    for (const rule of loaded.ruleSet!.rules) expect(decided, `no test reaches ${rule.id}`).toContain(rule.id);
  });

  it('is versioned by content, blind to line endings and byte-order marks', async () => {
    const { ruleSet, folder } = await loadRuleSet('rules');
    expect(ruleSet!.version).toMatch(/^rs-[0-9a-f]{12}$/);
    const crlf = folder.ruleFiles.map((file) => ({ name: file.name, text: `\uFEFF${file.text.replace(/\n/g, '\r\n')}` }));
    expect(ruleSetVersion(crlf)).toBe(ruleSet!.version);
    const edited = folder.ruleFiles.map((file) => ({ name: file.name, text: file.text.replace('P3D', 'P4D') }));
    expect(ruleSetVersion(edited)).not.toBe(ruleSet!.version);
    expect(ruleSet!.files.map((file) => file.name)).toEqual(['routing.yaml']);
  });

  it('can be rebuilt from the files an activation hands out (as stored for in-flight invoices)', async () => {
    const { ruleSet } = await loadRuleSet('rules');
    const rebuilt = buildRuleSet(ruleSet!.files.map((file) => ({ name: file.name, label: `${ruleSet!.version}/${file.name}`, text: file.text })));
    expect(rebuilt.ruleSet?.version).toBe(ruleSet!.version);
    expect(rebuilt.ruleSet?.rules.map((rule) => rule.id)).toEqual(ruleSet!.rules.map((rule) => rule.id));
  });
});
