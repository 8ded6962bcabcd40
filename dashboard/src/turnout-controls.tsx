import type { Grain } from '../../operations/generated/graphql';
import { ListFilter, RangeControls } from './range-controls';
import type { ViewState } from './view-state';

/**
 * The turnout view's pickers: the caller's turnout datasets and constituency registries (the
 * dataset list already holds only what the caller may see), the election, range, time zone and
 * grain, the table's dimension and the region / constituency filters. All of it is in the URL.
 */
export function TurnoutControls(props: {
  state: ViewState;
  turnoutDatasets: string[];
  registries: string[];
  update: (change: Partial<ViewState>) => void;
}) {
  const { state, update } = props;
  return (
    <form className="controls" aria-label="Turnout view" onSubmit={(e) => e.preventDefault()}>
      <label>
        Turnout dataset{' '}
        <select value={state.dataset} onChange={(e) => update({ dataset: e.target.value })}>
          {props.turnoutDatasets.length === 0 && <option value="">none yet</option>}
          {props.turnoutDatasets.map((name) => (
            <option key={name}>{name}</option>
          ))}
        </select>
      </label>
      <label>
        Election{' '}
        <input defaultValue={state.election} onBlur={(e) => update({ election: e.target.value.trim() })} />
      </label>
      <label>
        Registry{' '}
        <select value={state.registry} onChange={(e) => update({ registry: e.target.value })}>
          <option value="">none</option>
          {props.registries.map((name) => (
            <option key={name}>{name}</option>
          ))}
        </select>
      </label>
      <RangeControls state={state} update={update} />
      <label>
        Grain{' '}
        <select value={state.grain} onChange={(e) => update({ grain: e.target.value as Grain })}>
          <option value="HOUR">hour</option>
          <option value="DAY">day</option>
        </select>
      </label>
      <label>
        Table by{' '}
        <select
          value={state.turnoutBy}
          onChange={(e) => update({ turnoutBy: e.target.value === 'REGION' ? 'REGION' : 'CONSTITUENCY' })}
        >
          <option value="CONSTITUENCY">constituency</option>
          <option value="REGION">region</option>
        </select>
      </label>
      <ListFilter label="Region" values={state.region} onChange={(region) => update({ region })} />
      <ListFilter
        label="Constituency"
        values={state.constituency}
        onChange={(constituency) => update({ constituency })}
      />
    </form>
  );
}
