import { useState } from 'react';
import { useQuery } from 'urql';
import { UploadLedgerPageDocument } from '../../operations/generated/graphql';
import { apiKey } from './client';

interface UploadAnswer {
  id?: string;
  status?: string;
  rowsLoaded?: number;
  rowsRejected?: number;
  error?: { code: string; message: string } | null;
  rowErrors?: Array<{ line: number; column: string; reason: string; value: string }>;
  message?: string;
  errors?: Array<{ message: string }>;
}

/**
 * Drag and drop a CSV: it streams to this gateway's POST /uploads (same origin, so no CORS to
 * set up on the object store) with a real progress bar from XHR's upload events, then shows the
 * load's status, rows and row errors, and the upload ledger.
 */
export function UploadsView(props: { onLoaded: (dataset: string) => void }) {
  const [dataset, setDataset] = useState('my-sales');
  const [kind, setKind] = useState('sales');
  const [progress, setProgress] = useState<number | null>(null);
  const [answer, setAnswer] = useState<UploadAnswer | null>(null);
  const [over, setOver] = useState(false);
  const [ledger, refetchLedger] = useQuery({ query: UploadLedgerPageDocument, variables: { first: 20 } });

  const send = (file: File) => {
    setAnswer(null);
    setProgress(0);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/uploads?dataset=${encodeURIComponent(dataset)}&kind=${kind}`);
    xhr.setRequestHeader('content-type', 'text/csv');
    const key = apiKey();
    if (key) xhr.setRequestHeader('authorization', `Bearer ${key}`);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) setProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      setProgress(1);
      let body: UploadAnswer;
      try {
        body = JSON.parse(xhr.responseText) as UploadAnswer;
      } catch {
        body = { message: `HTTP ${xhr.status}` };
      }
      setAnswer(body);
      refetchLedger({ requestPolicy: 'network-only' });
    };
    xhr.onerror = () => setAnswer({ message: 'The upload did not reach the gateway' });
    xhr.send(file);
  };

  const pick = (files: FileList | null) => {
    const file = files?.[0];
    if (file) send(file);
  };

  return (
    <section className="uploads">
      <h2>Upload a CSV</h2>
      <div className="row">
        <label>
          Dataset <input value={dataset} onChange={(e) => setDataset(e.target.value)} />
        </label>
        <label>
          Kind{' '}
          <select value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="sales">sales</option>
            <option value="turnout">turnout</option>
            <option value="constituencies">constituency registry</option>
          </select>
        </label>
      </div>
      <label
        className={`drop${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          pick(e.dataTransfer.files);
        }}
      >
        Drop a CSV here, or choose one
        <input type="file" accept=".csv,text/csv" onChange={(e) => pick(e.target.files)} />
      </label>
      {progress !== null && (
        <progress max={1} value={progress} aria-label="Upload progress">
          {Math.round(progress * 100)}%
        </progress>
      )}
      {answer && <UploadResult answer={answer} onOpen={() => props.onLoaded(dataset)} />}
      <h2>Upload ledger</h2>
      {ledger.error && (
        <p role="alert" className="error">
          {ledger.error.message}
        </p>
      )}
      <table className="ledger">
        <thead>
          <tr>
            <th scope="col">Dataset</th>
            <th scope="col">Status</th>
            <th scope="col">Rows</th>
            <th scope="col">Rejected</th>
            <th scope="col">When</th>
          </tr>
        </thead>
        <tbody>
          {(ledger.data?.uploads.nodes ?? []).map((u) => (
            <tr key={u.id}>
              <td>{u.dataset}</td>
              <td>{u.status}</td>
              <td className="num">{u.rowsLoaded}</td>
              <td className="num">{u.rowsRejected}</td>
              <td>{new Date(u.createdAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function UploadResult(props: { answer: UploadAnswer; onOpen: () => void }) {
  const { answer } = props;
  const problem = answer.error?.message ?? answer.message ?? answer.errors?.[0]?.message;
  return (
    <div className="result" role="status">
      <p>
        Status: <strong data-status={answer.status ?? 'ERROR'}>{answer.status ?? 'refused'}</strong>
        {answer.rowsLoaded !== undefined && ` · ${answer.rowsLoaded} rows loaded`}
        {answer.rowsRejected ? ` · ${answer.rowsRejected} rows rejected` : ''}
      </p>
      {problem && <p className="error">{problem}</p>}
      {answer.rowErrors && answer.rowErrors.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Column</th>
              <th scope="col">Reason</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {answer.rowErrors.map((e) => (
              <tr key={`${e.line}-${e.column}`}>
                <td>{e.line}</td>
                <td>{e.column}</td>
                <td>{e.reason}</td>
                <td>{e.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {answer.status === 'LOADED' && <button onClick={props.onOpen}>Open its KPIs</button>}
    </div>
  );
}
