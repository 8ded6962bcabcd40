import type { KpiUnit } from '../../operations/generated/graphql';

const money = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const count = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const quantity = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
const exactPercent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 2 });

/** Money is exact to the cent in the API: always two decimals, never rounded further. */
export function formatKpi(value: number, unit: KpiUnit | undefined): string {
  switch (unit) {
    case 'MONEY':
    case 'MONEY_PER_TRANSACTION':
      return money.format(value);
    case 'COUNT':
      return count.format(value);
    case 'RATIO':
      return exactPercent.format(value);
    case 'PERCENT':
      // Already × 100 (participation).
      return exactPercent.format(value / 100);
    case 'PER_HOUR':
      return `${quantity.format(value)}/h`;
    default:
      return quantity.format(value);
  }
}

export const UNIT_LABEL: Record<KpiUnit, string> = {
  MONEY: 'money',
  MONEY_PER_TRANSACTION: 'money per transaction',
  COUNT: 'count',
  QUANTITY: 'units',
  RATIO: 'ratio',
  PERCENT: 'percent',
  PER_HOUR: 'per hour',
};

export function formatChange(changePercent: number): string {
  const sign = changePercent > 0 ? '+' : '';
  return `${sign}${percent.format(changePercent / 100)}`;
}
