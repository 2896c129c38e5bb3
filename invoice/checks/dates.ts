/** ISO 8601 calendar dates as EN 16931 and Peppol want them: `YYYY-MM-DD`, a real day (PEPPOL-EN16931-F001). */

export function isIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** ISO dates compare as strings; callers check the format first. */
export function isBefore(a: string, b: string): boolean {
  return a < b;
}
