import { badInput } from '../../errors/app-error';
import { CLICKHOUSE_TIME_ZONES } from './clickhouse-time-zones';

/** One formatter per zone: building an Intl.DateTimeFormat is costly, a lookup is not. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function offsetFormatter(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    formatters.set(zone, formatter);
  }
  return formatter;
}

const BY_LOWER_CASE = new Map([...CLICKHOUSE_TIME_ZONES].map((zone) => [zone.toLowerCase(), zone]));

/**
 * The name ClickHouse knows for a zone the caller wrote, or null: the name as written when
 * ClickHouse knows it, else Intl's canonical spelling (`utc` → `UTC`, `europe/berlin` →
 * `Europe/Berlin`) when ClickHouse knows that, else ClickHouse's own spelling of the same letters. A zone one side knows and the
 * other does not is refused: the gateway computes offsets with Intl and buckets with ClickHouse.
 */
export function normaliseTimeZone(zone: string): string | null {
  const known = normalised.get(zone);
  if (known !== undefined) return known;
  const name = lookUpTimeZone(zone);
  // Oldest first out: whatever zones clients send, the memo stays small.
  const oldest = normalised.keys().next();
  if (normalised.size >= MAX_CACHED_CHECKS && !oldest.done) normalised.delete(oldest.value);
  normalised.set(zone, name);
  return name;
}

/** Answers of `normaliseTimeZone`: building an Intl.DateTimeFormat to ask is the costly part. */
const normalised = new Map<string, string | null>();

function lookUpTimeZone(zone: string): string | null {
  if (zone.length === 0 || zone.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(zone)) return null;
  let canonical: string | undefined;
  try {
    canonical = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
  const known =
    [zone, canonical].find((name) => CLICKHOUSE_TIME_ZONES.has(name)) ??
    BY_LOWER_CASE.get(zone.toLowerCase());
  if (!known) return null;
  try {
    offsetFormatter(known);
  } catch {
    return null;
  }
  return known;
}

/** A zone as ClickHouse names it, or BAD_USER_INPUT naming the argument. */
export function assertTimeZone(zone: string, argument = 'timeZone'): string {
  const known = normaliseTimeZone(zone);
  if (known === null)
    throw badInput(
      `Unknown time zone "${zone.slice(0, 64)}" in ${argument}; use an IANA name such as "UTC" or "Europe/Berlin"`,
      { argument, timeZone: zone.slice(0, 64) },
    );
  return known;
}

/**
 * Offset of `zone` from UTC at `at`, in minutes. (`format` is cheaper than `formatToParts`, and
 * the offset is its only "GMT…" part.)
 */
export function offsetMinutes(zone: string, at: Date): number {
  const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(offsetFormatter(zone).format(at));
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === '-' ? -minutes : minutes;
}

const DAY_MS = 86_400_000;
const MAX_CACHED_CHECKS = 2_000;
/** Answers of `offsetsAreMultiplesOf` per (zone, multiple, range): dashboards ask the same ranges again and again. */
const checks = new Map<string, boolean>();

/**
 * Whether every offset the zone uses over the range is a multiple of `minutes`, so that local
 * bucket boundaries (hours, days, weeks, months) fall on UTC boundaries of that length: 60 for
 * the hourly rollup, 1440 (an offset of 0 throughout) for the daily one. Sampled daily (offsets
 * change at most a few times a year, and never by less than 30 minutes); stops at the first
 * offset that is not a multiple, which for most zones and the daily check is the first sample.
 */
export function offsetsAreMultiplesOf(
  zone: string,
  range: { from: Date; to: Date },
  minutes: number,
): boolean {
  if (zone === 'UTC') return true;
  const key = `${zone} ${minutes} ${range.from.getTime()} ${range.to.getTime()}`;
  const known = checks.get(key);
  if (known !== undefined) return known;
  let aligned = true;
  const step = Math.max(DAY_MS, Math.ceil((range.to.getTime() - range.from.getTime()) / 2000));
  // Rows in [from, to) are bucketed by the offset at their own instant: sample from `from` up to
  // the last instant of the range.
  const last = range.to.getTime() - 1;
  for (let t = range.from.getTime(); ; t = Math.min(t + step, last)) {
    if (offsetMinutes(zone, new Date(t)) % minutes !== 0) {
      aligned = false;
      break;
    }
    if (t >= last) break;
  }
  // Oldest first out: a bounded cache that whatever ranges clients send cannot grow.
  if (checks.size >= MAX_CACHED_CHECKS) checks.delete(checks.keys().next().value!);
  checks.set(key, aligned);
  return aligned;
}

/** Local hour/day/week/month boundaries fall on UTC hours: the hourly rollup can answer. */
export function hasWholeHourOffsets(zone: string, range: { from: Date; to: Date }): boolean {
  return offsetsAreMultiplesOf(zone, range, 60);
}
