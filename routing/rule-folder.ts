/**
 * Reads a rules folder: every `*.yaml` is a rule file except `*.test.yaml`, which holds rule tests. Not
 * recursive. Files are labelled in issues by the folder as given joined with the name (`rules/routing.yaml`),
 * the way compilers print paths.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { issue, type ValidationIssue } from '../validation/issue.js';
import type { SourceFile } from './yaml-source.js';

export interface RuleFolder {
  dir: string;
  ruleFiles: SourceFile[];
  testFiles: SourceFile[];
  issues: ValidationIssue[];
}

export const isTestFile = (name: string): boolean => name.endsWith('.test.yaml');
export const isRuleFile = (name: string): boolean => name.endsWith('.yaml') && !isTestFile(name) && !name.startsWith('.');

export async function readRuleFolder(dir: string): Promise<RuleFolder> {
  const folder: RuleFolder = { dir, ruleFiles: [], testFiles: [], issues: [] };
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(error as Error).message})`;
    folder.issues.push(issue('FF-RULE-FILES', `The rules folder ${reason}; give the folder that holds routing.yaml.`, dir));
    return folder;
  }
  const names = entries
    .filter((entry) => entry.isFile() || entry.isSymbolicLink())
    .map((entry) => entry.name)
    .sort();
  for (const name of names) {
    if (name.endsWith('.yml')) {
      folder.issues.push(issue('FF-RULE-FILES', `${name} is ignored: rule files end in .yaml. Rename it to ${name.slice(0, -4)}.yaml.`, join(dir, name), 'warning'));
      continue;
    }
    if (!name.endsWith('.yaml') || name.startsWith('.')) continue;
    let text: string;
    try {
      text = await readFile(join(dir, name), 'utf8');
    } catch (error) {
      // Gone between listing and reading: an editor's save in progress; its next event reloads again.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      folder.issues.push(issue('FF-RULE-FILES', `${name} cannot be read: ${(error as Error).message}.`, join(dir, name)));
      continue;
    }
    const file: SourceFile = { name, label: join(dir, name), text };
    (isTestFile(name) ? folder.testFiles : folder.ruleFiles).push(file);
  }
  return folder;
}
