import { RANGE_PRESETS, type RangePreset, type ViewState } from './view-state';

const PRESET_LABELS: Record<RangePreset, string> = {
  today: 'Today',
  last7: 'Last 7 days',
  last30: 'Last 30 days',
  last90: 'Last 90 days',
  month: 'This month',
  custom: 'Custom',
};
const ZONES: string[] = (() => {
  const supported = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  return supported ? supported('timeZone') : ['UTC'];
})();

/** Range presets (custom dates when chosen) and the time zone: the same pickers in every view. */
export function RangeControls(props: { state: ViewState; update: (change: Partial<ViewState>) => void }) {
  const { state, update } = props;
  const zones = ZONES.includes(state.timeZone) ? ZONES : [state.timeZone, ...ZONES];
  return (
    <>
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
    </>
  );
}

/** A comma-separated list, applied on leaving the field: one query per change, not per keystroke. */
export function ListFilter(props: { label: string; values: string[]; onChange: (values: string[]) => void }) {
  return (
    <label>
      {props.label}{' '}
      <input
        defaultValue={props.values.join(', ')}
        placeholder="any"
        onBlur={(e) => {
          const values = e.target.value
            .split(',')
            .map((v) => v.trim())
            .filter((v) => v !== '');
          if (values.join(',') !== props.values.join(',')) props.onChange(values);
        }}
      />
    </label>
  );
}
