import { useCallback, useEffect, useState } from 'react';
import { useQuery } from 'urql';
import { DatasetListDocument } from '../../operations/generated/graphql';
import { API_KEY_STORAGE } from './client';
import { SalesView } from './sales-view';
import { TurnoutView } from './turnout-view';
import { UploadsView } from './uploads-view';
import { readViewState, writeViewState, type ViewState } from './view-state';

export function App() {
  const [state, setState] = useState<ViewState>(() => readViewState(location.search));
  // Every dataset the caller may see, once: each view picks its kind from it.
  const [datasets, refetchDatasets] = useQuery({ query: DatasetListDocument, variables: { kind: null } });

  useEffect(() => {
    const onPop = () => setState(readViewState(location.search));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  const update = useCallback((change: Partial<ViewState>) => {
    setState((current) => {
      const next = { ...current, ...change };
      history.pushState(null, '', writeViewState(next));
      return next;
    });
  }, []);

  const refreshDatasets = useCallback(
    () => refetchDatasets({ requestPolicy: 'network-only' }),
    [refetchDatasets],
  );
  const all = datasets.data?.datasets ?? [];
  const named = (kind: string) => all.filter((d) => d.kind === kind).map((d) => d.name);
  const sales = named('SALES');
  const turnout = named('TURNOUT');
  const registries = named('CONSTITUENCIES');
  // The view's dataset: the URL's (even one not loaded yet), unless it is of another kind; else the first.
  const pick = (names: string[], wanted: string) =>
    wanted === '' || (all.some((d) => d.name === wanted) && !names.includes(wanted))
      ? (names[0] ?? '')
      : wanted;

  return (
    <div className="app">
      <header className="top">
        <h1>KPI dashboard</h1>
        <nav aria-label="Views">
          <button aria-pressed={state.view === 'sales'} onClick={() => update({ view: 'sales' })}>
            Sales
          </button>
          <button aria-pressed={state.view === 'turnout'} onClick={() => update({ view: 'turnout' })}>
            Turnout
          </button>
          <button aria-pressed={state.view === 'uploads'} onClick={() => update({ view: 'uploads' })}>
            Uploads
          </button>
        </nav>
        <ApiKeyField />
      </header>
      <main>
        {datasets.error && (
          <p role="alert" className="error">
            Could not list datasets: {datasets.error.message}
          </p>
        )}
        {state.view === 'uploads' ? (
          <UploadsView
            onLoaded={(name, kind) => {
              refetchDatasets({ requestPolicy: 'network-only' });
              if (kind === 'CONSTITUENCIES') update({ view: 'turnout', registry: name });
              else update({ view: kind === 'TURNOUT' ? 'turnout' : 'sales', dataset: name });
            }}
          />
        ) : state.view === 'turnout' ? (
          <TurnoutView
            state={{
              ...state,
              dataset: pick(turnout, state.dataset),
              registry: state.registry && pick(registries, state.registry),
            }}
            turnoutDatasets={turnout}
            registries={registries}
            update={update}
          />
        ) : (
          <SalesView
            state={{ ...state, dataset: pick(sales, state.dataset) }}
            datasets={sales}
            loadingDatasets={datasets.fetching}
            update={update}
            onDataChanged={refreshDatasets}
          />
        )}
      </main>
    </div>
  );
}

function ApiKeyField() {
  const [value, setValue] = useState(() => sessionStorage.getItem(API_KEY_STORAGE) ?? '');
  return (
    <form
      className="api-key"
      onSubmit={(event) => {
        event.preventDefault();
        if (value) sessionStorage.setItem(API_KEY_STORAGE, value);
        else sessionStorage.removeItem(API_KEY_STORAGE);
        location.reload();
      }}
    >
      <label>
        API key{' '}
        <input type="password" value={value} onChange={(e) => setValue(e.target.value)} autoComplete="off" />
      </label>
      <button type="submit">Use</button>
    </form>
  );
}
