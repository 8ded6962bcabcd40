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
  const [datasets, refetchDatasets] = useQuery({ query: DatasetListDocument, variables: { kind: 'SALES' } });

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
  const list = datasets.data?.datasets ?? [];
  // The first dataset, until the reader picks one.
  const dataset = state.dataset || list[0]?.name || '';

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
              update({ view: kind === 'TURNOUT' ? 'turnout' : 'sales', dataset: name });
            }}
          />
        ) : state.view === 'turnout' ? (
          <TurnoutView state={state} update={update} />
        ) : (
          <SalesView
            state={{ ...state, dataset }}
            datasets={list.map((d) => d.name)}
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
