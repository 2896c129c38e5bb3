/**
 * ISO 8601 durations as plans write them (`P3D`, `PT12H`, `P1W`). Years and months are refused: their length
 * depends on the calendar, and a workflow timer needs a fixed length (write `P30D`, not `P1M`).
 * Examples: P3D = 259 200 000 ms; PT1H30M = 5 400 000 ms; P1DT12H = 129 600 000 ms.
 *
 * Pure (no imports, no clock): the workflow imports `parseIsoDuration` for the agreement wait.
 */

export type DurationCheck = { ok: true; ms: number } | { ok: false; reason: string };

const PATTERN = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;
const CALENDAR_UNITS = /^P(?:\d+Y)?(?:\d+M)?/;
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The duration in milliseconds with the reason when it is not one, for the rule linter. */
export function checkIsoDuration(text: string): DurationCheck {
  const calendar = CALENDAR_UNITS.exec(text);
  if (calendar !== null && calendar[0].length > 1) {
    return { ok: false, reason: `'${text}' uses years or months, whose length depends on the calendar; write days instead, e.g. P30D.` };
  }
  const match = PATTERN.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) {
    return { ok: false, reason: `'${text}' is not an ISO 8601 duration; write e.g. P3D (3 days), PT12H (12 hours) or P1DT12H.` };
  }
  const [, weeks, days, hours, minutes, seconds] = match;
  const ms =
    Number(weeks ?? 0) * 7 * DAY +
    Number(days ?? 0) * DAY +
    Number(hours ?? 0) * HOUR +
    Number(minutes ?? 0) * MINUTE +
    Math.round(Number((seconds ?? '0').replace(',', '.')) * SECOND);
  if (ms <= 0) return { ok: false, reason: `'${text}' is zero; a wait must be longer than that, e.g. P3D.` };
  return { ok: true, ms };
}

/** Milliseconds, or undefined when `text` is not a duration this module accepts. */
export function parseIsoDuration(text: string): number | undefined {
  const checked = checkIsoDuration(text);
  return checked.ok ? checked.ms : undefined;
}
