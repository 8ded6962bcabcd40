import type { RangePreset } from './view-state';

/** How far `timeZone`'s wall clock is ahead of UTC at `utcMs`. */
function offsetMs(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return (
    Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - utcMs
  );
}

/** The instant a local calendar day starts in `timeZone` (twice: the offset may change that day). */
function startOfDay(day: LocalDay, timeZone: string): Date {
  const wall = Date.UTC(day.y, day.m - 1, day.d);
  let t = wall;
  for (let i = 0; i < 2; i += 1) t = wall - offsetMs(t, timeZone);
  return new Date(t);
}

interface LocalDay {
  y: number;
  m: number;
  d: number;
}

function today(timeZone: string): LocalDay {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date()).split('-').map(Number);
  return { y: y ?? 1970, m: m ?? 1, d: d ?? 1 };
}

function addDays(day: LocalDay, days: number): LocalDay {
  const t = new Date(Date.UTC(day.y, day.m - 1, day.d + days));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

function parseDay(text: string): LocalDay | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return match ? { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) } : undefined;
}

/** The preset's half-open range of whole local days in `timeZone`, or why there is none. */
export function resolveRange(
  preset: RangePreset,
  custom: { from: string; to: string },
  timeZone: string,
): { from: string; to: string } | { error: string } {
  const now = today(timeZone);
  const tomorrow = addDays(now, 1);
  let first: LocalDay;
  let end = tomorrow;
  if (preset === 'today') first = now;
  else if (preset === 'last7') first = addDays(now, -6);
  else if (preset === 'last30') first = addDays(now, -29);
  else if (preset === 'last90') first = addDays(now, -89);
  else if (preset === 'month') first = { ...now, d: 1 };
  else {
    const from = parseDay(custom.from);
    const to = parseDay(custom.to);
    if (!from || !to) return { error: 'Choose a start and an end date for the custom range.' };
    first = from;
    end = addDays(to, 1);
  }
  const from = startOfDay(first, timeZone);
  const to = startOfDay(end, timeZone);
  if (to <= from) return { error: 'The end date is before the start date.' };
  return { from: from.toISOString(), to: to.toISOString() };
}
