/**
 * Drops the keys whose value is undefined, so a model built from JSON or XML carries only what was given or
 * derived: it compares equal to one written by hand and serialises without `"x": undefined` noise.
 */
export function prune<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
