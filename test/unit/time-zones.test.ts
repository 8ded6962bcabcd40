import { hasWholeHourOffsets, offsetMinutes, offsetsAreMultiplesOf } from '../../src/kpi/planning/time-zones';

const range = (from: string, to: string) => ({ from: new Date(from), to: new Date(to) });
const WINTER = range('2025-01-01T00:00:00Z', '2025-03-01T00:00:00Z');
/** Europe/London and Europe/Berlin move their clocks on 2025-03-30 at 01:00 UTC. */
const SPRING = range('2025-03-01T00:00:00Z', '2025-04-30T00:00:00Z');

describe('time zone offsets', () => {
  test('offsets in minutes, east positive, DST included', () => {
    expect(offsetMinutes('UTC', new Date('2025-06-01T00:00:00Z'))).toBe(0);
    expect(offsetMinutes('Europe/Berlin', new Date('2025-01-15T00:00:00Z'))).toBe(60);
    expect(offsetMinutes('Europe/Berlin', new Date('2025-07-15T00:00:00Z'))).toBe(120);
    expect(offsetMinutes('America/New_York', new Date('2025-01-15T00:00:00Z'))).toBe(-300);
    expect(offsetMinutes('Asia/Kolkata', new Date('2025-01-15T00:00:00Z'))).toBe(330);
    expect(offsetMinutes('America/St_Johns', new Date('2025-01-15T00:00:00Z'))).toBe(-210);
  });

  test('whole-hour offsets (the hourly rollup): whole-hour zones through DST, never half-hour zones', () => {
    expect(hasWholeHourOffsets('Europe/Berlin', SPRING)).toBe(true);
    expect(hasWholeHourOffsets('America/New_York', SPRING)).toBe(true);
    expect(hasWholeHourOffsets('Asia/Kolkata', WINTER)).toBe(false);
    expect(
      hasWholeHourOffsets('Australia/Lord_Howe', range('2025-03-01T00:00:00Z', '2025-05-01T00:00:00Z')),
    ).toBe(false);
  });

  test('offsets of whole days (the daily rollup) mean an offset of 0 over the whole range', () => {
    expect(offsetsAreMultiplesOf('UTC', SPRING, 1440)).toBe(true);
    expect(offsetsAreMultiplesOf('Etc/UTC', SPRING, 1440)).toBe(true);
    expect(offsetsAreMultiplesOf('Europe/London', WINTER, 1440)).toBe(true);
    expect(offsetsAreMultiplesOf('Europe/London', SPRING, 1440)).toBe(false);
    // Offset 0 at both ends, +1 in between.
    expect(
      offsetsAreMultiplesOf('Europe/London', range('2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), 1440),
    ).toBe(false);
    expect(offsetsAreMultiplesOf('Europe/Berlin', WINTER, 1440)).toBe(false);
    expect(offsetsAreMultiplesOf('America/New_York', WINTER, 1440)).toBe(false);
  });

  test('an answer is remembered per zone, multiple and range, and the same question gets the same answer', () => {
    const question = range('2024-10-01T00:00:00Z', '2024-11-15T00:00:00Z');
    const first = offsetsAreMultiplesOf('Europe/London', question, 1440);
    expect(first).toBe(false);
    expect(offsetsAreMultiplesOf('Europe/London', question, 1440)).toBe(first);
    expect(offsetsAreMultiplesOf('Europe/London', question, 60)).toBe(true);
    expect(
      offsetsAreMultiplesOf('Europe/London', range('2024-11-01T00:00:00Z', '2024-11-15T00:00:00Z'), 1440),
    ).toBe(true);
  });
});
