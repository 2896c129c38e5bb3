/**
 * Bokføringsloven § 13: primary documentation is kept 5 years after the end of the financial year.
 * With calendar financial years that is 31 December of the issue year + 5 (DOMAIN.md §5).
 */
export function retainUntil(issueDate: string): string {
  const year = Number(issueDate.slice(0, 4));
  if (!Number.isInteger(year)) throw new Error(`not an ISO date: ${issueDate}`);
  return `${year + 5}-12-31`;
}
