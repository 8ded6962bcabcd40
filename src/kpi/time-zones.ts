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
    throw badInput(`Unknown time zone "${zone}"; use an IANA name such as "UTC" or "Europe/Berlin"`, { timeZone: zone });
  }
  return zone;
}

/** Offset of `zone` from UTC at `at`, in minutes. */
export function offsetMinutes(zone: string, at: Date): number {
  const parts = offsetFormatter(zone).formatToParts(at);
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === '-' ? -minutes : minutes;
}

const DAY_MS = 86_400_000;

/**
 * Whether every offset the zone uses over the range is a whole number of hours, so that local
 * hour/day/week/month boundaries fall on UTC hour boundaries and the hourly rollup can answer.
 * Sampled daily (offsets change at most a few times a year, and never by less than 30 minutes).
 */
export function hasWholeHourOffsets(zone: string, range: { from: Date; to: Date }): boolean {
  if (zone === 'UTC') return true;
  const step = Math.max(DAY_MS, Math.ceil((range.to.getTime() - range.from.getTime()) / 2000));
  for (let t = range.from.getTime(); t <= range.to.getTime() + step; t += step) {
    if (offsetMinutes(zone, new Date(t)) % 60 !== 0) return false;
  }
  return true;
}
