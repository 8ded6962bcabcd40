/**
 * A value a benchmark cannot go on without (a measured variant, an answer's field): absent, the
 * benchmark itself is wrong, so it stops with the name of what is missing rather than printing NaN.
 */
export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`benchmark: ${what} is missing`);
  return value;
}
