/**
 * The rule-set version: a content hash, so the same files always give the same version on every machine and
 * a decision's `rulesVersion` names exactly the text that decided. sha256 over the rule files in name order,
 * each as `name NUL text NUL`, with the text normalised (BOM dropped, CRLF/CR → LF) so a Windows editor does not
 * mint a new version. Shown as `rs-` + the first 12 hex digits (48 bits: collisions are not a concern for the
 * few hundred versions a team makes).
 */
import { createHash } from 'node:crypto';

export function normalizeRuleText(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function ruleSetVersion(files: ReadonlyArray<{ name: string; text: string }>): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    hash.update(file.name, 'utf8').update('\0').update(normalizeRuleText(file.text), 'utf8').update('\0');
  }
  return `rs-${hash.digest('hex').slice(0, 12)}`;
}
