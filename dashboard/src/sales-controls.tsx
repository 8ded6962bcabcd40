import type { Grain } from '../../operations/generated/graphql';
import { FILTERS, RANGE_PRESETS, type RangePreset, type ViewState } from './view-state';

const PRESET_LABELS: Record<RangePreset, string> = {
  today: 'Today',
  last7: 'Last 7 days',
  last30: 'Last 30 days',
  last90: 'Last 90 days',
  month: 'This month',
  custom: 'Custom',
};
const FILTER_LABELS = {
  branch: 'Branch',
  productLine: 'Product line',
  itemGroup: 'Item group',
  salesPerson: 'Salesperson',
};
const ZONES: string[] = (() => {
  const supported = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  return supported ? supported('timeZone') : ['UTC'];
})();

export function SalesControls(props: {
  state: ViewState;
  datasets: string[];
  update: (change: Partial<ViewState>) => void;
}) {
  const { state, update } = props;
  const zones = ZONES.includes(state.timeZone) ? ZONES : [state.timeZone, ...ZONES];
  return (
    <form className="controls" aria-label="View" onSubmit={(e) => e.preventDefault()}>
      <label>
        Dataset{' '}
        <select value={state.dataset} onChange={(e) => update({ dataset: e.target.value })}>
          {props.datasets.map((name) => (
            <option key={name}>{name}</option>
          ))}
        </select>
      </label>
      <label>
        Range{' '}
        <select value={state.range} onChange={(e) => update({ range: e.target.value as RangePreset })}>
          {RANGE_PRESETS.map((preset) => (
            <option key={preset} value={preset}>
              {PRESET_LABELS[preset]}
            </option>
          ))}
        </select>
      </label>
      {state.range === 'custom' && (
        <>
          <label>
            From <input type="date" value={state.from} onChange={(e) => update({ from: e.target.value })} />
          </label>
          <label>
            To <input type="date" value={state.to} onChange={(e) => update({ to: e.target.value })} />
          </label>
        </>
      )}
      <label>
        Time zone{' '}
        <select value={state.timeZone} onChange={(e) => update({ timeZone: e.target.value })}>
          {zones.map((zone) => (
            <option key={zone}>{zone}</option>
          ))}
        </select>
      </label>
      <label>
        Grain{' '}
        <select value={state.grain} onChange={(e) => update({ grain: e.target.value as Grain })}>
          <option value="HOUR">hour</option>
          <option value="DAY">day</option>
          <option value="WEEK">week</option>
          <option value="MONTH">month</option>
        </select>
      </label>
      {FILTERS.map((name) => (
        <label key={name}>
          {FILTER_LABELS[name]}{' '}
          <input
            defaultValue={state.filters[name].join(', ')}
            placeholder="any"
            // Applied on leaving the field: one query per filter change, not per keystroke.
            onBlur={(e) => {
              const values = e.target.value
                .split(',')
                .map((v) => v.trim())
                .filter((v) => v !== '');
              if (values.join(',') !== state.filters[name].join(','))
                update({ filters: { ...state.filters, [name]: values } });
            }}
          />
        </label>
      ))}
    </form>
  );
}
