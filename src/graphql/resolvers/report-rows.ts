import type { KpiAnswer } from '../../kpi/kpi-service';
import type { KpiRow } from '../../kpi/kpi-types';
import type { BucketOfSlice, KpisOfSlice } from '../types/kpi-slice.type';

/** The one row of a totals answer (an aggregate without groups always has one). */
export function totalsRow(answer: KpiAnswer): KpiRow {
  const row = answer.rows[0];
  if (!row) throw new Error('A totals query returned no row');
  return row;
}

/** Series rows as buckets: each carries its bounds, or the planner built the wrong statement. */
export function bucketsOf(answer: KpiAnswer): BucketOfSlice[] {
  return answer.rows.map((row) => {
    if (!row.bucketStart || !row.bucketEnd) throw new Error('A series row came back without its bucket');
    return { start: row.bucketStart, end: row.bucketEnd, kpis: row.kpis as KpisOfSlice };
  });
}
