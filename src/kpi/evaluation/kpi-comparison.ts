import type { Comparison, KpiDef, KpiRow, KpiUnavailable, KpiValue, TimeRange } from '../kpi-types';

/** The window a comparison reads: of equal length just before, or the same window a year earlier. */
export function priorRange(range: TimeRange, comparison: Comparison): TimeRange {
  if (comparison === 'PREVIOUS_PERIOD') {
    const length = range.to.getTime() - range.from.getTime();
    return { from: new Date(range.from.getTime() - length), to: new Date(range.from.getTime()) };
  }
  const yearEarlier = (date: Date) => {
    const shifted = new Date(date.getTime());
    shifted.setUTCFullYear(shifted.getUTCFullYear() - 1);
    return shifted;
  };
  return { from: yearEarlier(range.from), to: yearEarlier(range.to) };
}

/** Each KPI of `current` with its previous value, absolute change and percent change. */
export function compareRows(current: KpiRow, previous: KpiRow): KpiRow {
  const kpis: Record<string, KpiValue> = {};
  for (const [id, value] of Object.entries(current.kpis))
    kpis[id] = { ...value, comparison: compareValue(value, previous.kpis[id]) };
  return { ...current, kpis };
}

export function compareValue(current: KpiValue, previous: KpiValue | undefined): KpiValue['comparison'] {
  if (!previous || previous.value === null) {
    const reason: KpiUnavailable =
      !previous || !previous.unavailable || previous.unavailable.reason === 'NO_DATA'
        ? {
            reason: 'NO_PRIOR_PERIOD',
            missingKeys: [],
            missingColumns: [],
            coverage: null,
            message: 'The comparison window has no rows.',
          }
        : previous.unavailable;
    return { previous: null, change: null, changePercent: null, unavailable: reason };
  }
  const change = current.value === null ? null : current.value - previous.value;
  if (previous.value === 0) {
    return {
      previous: 0,
      change,
      changePercent: null,
      unavailable: {
        reason: 'ZERO_DENOMINATOR',
        missingKeys: [],
        missingColumns: [],
        coverage: null,
        message: 'The previous value is 0, so a percent change is undefined.',
      },
    };
  }
  return {
    previous: previous.value,
    change,
    changePercent: change === null ? null : (change / Math.abs(previous.value)) * 100,
    unavailable: null,
  };
}

/** Share of total is defined for KPIs that add up over a slice's parts (money, counts, quantities). */
export function isShareable(kpi: KpiDef): boolean {
  return kpi.unit === 'MONEY' || kpi.unit === 'COUNT' || kpi.unit === 'QUANTITY';
}

/** Each group's value as a fraction of the same KPI over the whole slice. */
export function withShares(
  groups: readonly KpiRow[],
  total: KpiRow,
  kpis: ReadonlyMap<string, KpiDef>,
): KpiRow[] {
  return groups.map((group) => {
    const values: Record<string, KpiValue> = {};
    for (const [id, value] of Object.entries(group.kpis)) {
      const whole = total.kpis[id]?.value;
      const kpi = kpis.get(id);
      const shareable = kpi !== undefined && isShareable(kpi);
      values[id] = {
        ...value,
        share: shareable && value.value !== null && whole ? value.value / whole : null,
      };
    }
    return { ...group, kpis: values };
  });
}
