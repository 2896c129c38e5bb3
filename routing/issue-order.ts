/**
 * Issues in reading order: by file, then line and column as numbers (so 10:2 comes after 9:30), errors before
 * warnings at the same place.
 */
import type { ValidationIssue } from '../validation/issue.js';

const POSITION = /^(.*):(\d+):(\d+)$/;

function key(path: string): [string, number, number] {
  const match = POSITION.exec(path);
  return match ? [match[1]!, Number(match[2]), Number(match[3])] : [path, 0, 0];
}

export function sortIssues(issues: ValidationIssue[]): ValidationIssue[] {
  return issues.sort((a, b) => {
    const [fa, la, ca] = key(a.path);
    const [fb, lb, cb] = key(b.path);
    return fa < fb ? -1 : fa > fb ? 1 : la - lb || ca - cb || (a.severity === b.severity ? 0 : a.severity === 'fatal' ? -1 : 1);
  });
}
