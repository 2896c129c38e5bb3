/**
 * A line diff between two versions of the rule files, for the audit trail of rule-set versions: what an
 * operations team changed, file by file, in unified-diff style without context lines.
 */
export interface RuleFileText {
  name: string;
  text: string;
}

export function diffRuleFiles(before: readonly RuleFileText[], after: readonly RuleFileText[]): string {
  const names = [...new Set([...before.map((f) => f.name), ...after.map((f) => f.name)])].sort();
  const out: string[] = [];
  for (const name of names) {
    const a = before.find((f) => f.name === name)?.text;
    const b = after.find((f) => f.name === name)?.text;
    if (a === b) continue;
    out.push(`--- ${a === undefined ? '/dev/null' : name}`, `+++ ${b === undefined ? '/dev/null' : name}`);
    out.push(...diffLines(a?.split('\n') ?? [], b?.split('\n') ?? []));
  }
  return out.join('\n');
}

/** Longest-common-subsequence line diff: rule files are small, so O(n·m) is fine. */
function diffLines(a: string[], b: string[]): string[] {
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      out.push(`@@ +${j + 1} @@ +${b[j]}`);
      j++;
    } else {
      out.push(`@@ -${i + 1} @@ -${a[i]}`);
      i++;
    }
  }
  return out;
}
