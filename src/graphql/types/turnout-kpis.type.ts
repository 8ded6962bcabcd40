import { TURNOUT_KPIS } from '../../kpi/definitions/turnout-kpis';
import { kpisObjectType, type KpisOfSlice } from './kpi-slice.type';

export const TurnoutKpisType = kpisObjectType('TurnoutKpis', 'turnout', TURNOUT_KPIS);
export type TurnoutKpisType = KpisOfSlice;
