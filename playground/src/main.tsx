import './monaco-workers';
import 'graphiql/style.css';
import { GraphiQL } from 'graphiql';
import { createRoot } from 'react-dom/client';
import { createFetcher } from './fetcher';

/** The example operations of operations/, with their example variables (filled in at build time). */
declare const __PLAYGROUND_TABS__: Array<{ query: string; variables: string }>;

const container = document.getElementById('graphiql');
if (!container) throw new Error('the playground page has no #graphiql element');

createRoot(container).render(
  <GraphiQL
    fetcher={createFetcher(new URL('/graphql', window.location.href).href)}
    defaultTabs={__PLAYGROUND_TABS__}
    // GraphiQL 5 fills the first tab's variables editor from this prop only, not from defaultTabs.
    initialVariables={__PLAYGROUND_TABS__[0]?.variables}
    isHeadersEditorEnabled
    // Tokens typed into the headers editor stay in this tab; never written to localStorage.
    shouldPersistHeaders={false}
    defaultEditorToolsVisibility="variables"
  />,
);
