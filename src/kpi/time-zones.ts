import { badInput } from '../errors/app-error';

/** One formatter per zone: building an Intl.DateTimeFormat costs ~0.3 ms, a lookup nothing. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function offsetFormatter(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** IANA zone names only; validated here so ClickHouse never sees an arbitrary string as a zone. */
export function assertTimeZone(zone: string): string {
  if (zone.length > 64) throw badInput('timeZone is too long', { timeZone: zone.slice(0, 64) });
  try {
    offsetFormatter(zone);
  } catch {
    throw badInput(`Unknown time zone "${zone}"; use an IANA name such as "UTC" or "Europe/Berlin"`, {
      timeZone: zone,
    });
  }
  return zone;
}

/** Offset of `zone` from UTC at `at`, in minutes. (`format` is ~8x cheaper than `formatToParts`; the offset is its only "GMT…" part.) */
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
