import type { Grain } from '../../operations/generated/graphql';
import { ListFilter, RangeControls } from './range-controls';
import { FILTERS, type ViewState } from './view-state';

const FILTER_LABELS = {
  branch: 'Branch',
  productLine: 'Product line',
  itemGroup: 'Item group',
  salesPerson: 'Salesperson',
};
export function SalesControls(props: {
  state: ViewState;
  datasets: string[];
  update: (change: Partial<ViewState>) => void;
}) {
  const { state, update } = props;
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
      <RangeControls state={state} update={update} />
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
        <ListFilter
          key={name}
          label={FILTER_LABELS[name]}
          values={state.filters[name]}
          onChange={(values) => update({ filters: { ...state.filters, [name]: values } })}
        />
      ))}
    </form>
  );
}
