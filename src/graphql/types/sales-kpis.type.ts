import { SALES_KPIS } from '../../kpi/definitions/sales-kpis';
import { kpisObjectType, type KpisOfSlice } from './kpi-slice.type';

export const SalesKpisType = kpisObjectType('SalesKpis', 'sales', SALES_KPIS);
export type SalesKpisType = KpisOfSlice;
