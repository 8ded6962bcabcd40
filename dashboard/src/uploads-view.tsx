import { useRef, useState } from 'react';
import { useClient, useQuery, useSubscription } from 'urql';
import {
  DashboardUploadLedgerDocument,
  DataChangedDocument,
  type DatasetKind,
} from '../../operations/generated/graphql';
import { RowErrors } from './row-errors';
import { UploadLedger, type LedgerPaging } from './upload-ledger';
import { apiMessage, transfer, type TransferPhase } from './upload-transfer';

const PAGE_SIZE = 10;

/**
 * Upload a CSV by dropping it or choosing it (a native file input, so the keyboard works): it goes
 * straight to object storage with the presigned flow and a real progress bar (or through the
 * gateway when the store refuses this page), then the load's status, announced by subscription,
 * its rows and row errors; below, the ledger. A key without the uploader role sees neither.
 */
export function UploadsView(props: { onLoaded: (dataset: string, kind: DatasetKind) => void }) {
  const client = useClient();
  const [dataset, setDataset] = useState('my-sales');
  const [kind, setKind] = useState<DatasetKind>('SALES');
  const [maxBadRows, setMaxBadRows] = useState(0);
  const [phase, setPhase] = useState<TransferPhase | null>(null);
  const [over, setOver] = useState(false);
  const [sentTo, setSentTo] = useState(dataset);
  const input = useRef<HTMLInputElement>(null);
  const [paging, setPaging] = useState<LedgerPaging>({ status: '', cursors: [null] });
  const [ledger, refetchLedger] = useQuery({
    query: DashboardUploadLedgerDocument,
    variables: { status: paging.status || null, first: PAGE_SIZE, after: paging.cursors.at(-1) ?? null },
  });
  const busy = phase?.phase === 'sending' || phase?.phase === 'loading';
  // Subscribed while a file travels and loads: LOADED arrives here, from whichever replica loaded it.
  const [live] = useSubscription({
    query: DataChangedDocument,
    variables: { dataset: sentTo },
    pause: phase === null || phase.phase === 'failed',
  });
  const forbidden = ledger.error?.graphQLErrors.some((e) => e.extensions.code === 'FORBIDDEN');

  const send = (file: File) => {
    setSentTo(dataset);
    setPhase({ phase: 'sending', via: 'presigned', fraction: 0 });
    void transfer(client, { file, dataset, kind, maxBadRows }, (next) => {
      setPhase(next);
      if (next.phase === 'done' || next.phase === 'failed') refetchLedger({ requestPolicy: 'network-only' });
    });
  };
  const pick = (files: FileList | null) => {
    const file = files?.[0];
    if (file && !busy) send(file);
    if (input.current) input.current.value = '';
  };

  if (forbidden)
    return (
      <section className="uploads">
        <h2>Uploads</h2>
        <p role="alert" className="notice">
          This API key may read KPIs but not upload or see the ledger: {apiMessage(ledger.error)}
        </p>
      </section>
    );

  const uploadId =
    phase && 'uploadId' in phase ? phase.uploadId : phase?.phase === 'done' ? phase.upload.id : undefined;
  const event = live.data?.dataChanged;
  const heard =
    event && (event.uploadId === uploadId || (!uploadId && event.dataset === sentTo)) ? event : undefined;

  return (
    <section className="uploads">
      <h2>Upload a CSV</h2>
      <div className="row">
        <label>
          Dataset <input value={dataset} onChange={(e) => setDataset(e.target.value)} />
        </label>
        <label>
          Kind{' '}
          <select value={kind} onChange={(e) => setKind(e.target.value as DatasetKind)}>
            <option value="SALES">sales</option>
            <option value="TURNOUT">turnout</option>
            <option value="CONSTITUENCIES">constituency registry</option>
          </select>
        </label>
        <label>
          Bad rows allowed{' '}
          <input
            type="number"
            min={0}
            value={maxBadRows}
            onChange={(e) => setMaxBadRows(Math.max(0, Math.floor(Number(e.target.value) || 0)))}
          />
        </label>
      </div>
      <div
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
        <label htmlFor="csv-file">Drop a CSV here, or choose one</label>
        <input
          id="csv-file"
          ref={input}
          type="file"
          accept=".csv,text/csv"
          disabled={busy}
          onChange={(e) => pick(e.target.files)}
        />
      </div>
      {phase && <Progress phase={phase} />}
      {heard && (
        <p className="live-status" role="status" data-live-status={heard.status}>
          By subscription: {heard.dataset} {heard.status} · data version {heard.dataVersion} · {heard.rows}{' '}
          rows
        </p>
      )}
      {phase?.phase === 'done' && (
        <div className="result">
          <p>
            Status: <strong data-status={phase.upload.status}>{phase.upload.status}</strong>
            {` · ${rows(phase.upload.rowsLoaded)} loaded`}
            {phase.upload.rowsRejected ? ` · ${rows(phase.upload.rowsRejected)} rejected` : ''}
          </p>
          {phase.upload.error && <p className="error">{phase.upload.error.message}</p>}
          <RowErrors uploadId={phase.upload.id} count={phase.upload.rowErrorCount} />
          {phase.upload.status === 'LOADED' && (
            <button onClick={() => props.onLoaded(sentTo, kind)}>Open its KPIs</button>
          )}
        </div>
      )}
      <UploadLedger
        ledger={ledger}
        paging={paging}
        setPaging={setPaging}
        onChanged={() => refetchLedger({ requestPolicy: 'network-only' })}
      />
    </section>
  );
}

const rows = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'row' : 'rows'}`;

function Progress(props: { phase: TransferPhase }) {
  const { phase } = props;
  if (phase.phase === 'failed')
    return (
      <p role="alert" className="error" data-status="ERROR">
        {phase.message}
      </p>
    );
  const fraction = phase.phase === 'sending' ? phase.fraction : 1;
  const route =
    phase.via === 'presigned'
      ? 'straight to object storage'
      : 'through the gateway (the object store refused this page: set its CORS rule, docs/dashboard.md)';
  return (
    <div className="transfer" data-via={phase.via}>
      <progress max={1} value={fraction} aria-label="Upload progress">
        {Math.round(fraction * 100)}%
      </progress>
      <p role="status">
        {phase.phase === 'sending'
          ? `Sending ${route}: ${Math.round(fraction * 100)}%`
          : phase.phase === 'loading'
            ? `Sent ${route}; loading…`
            : `Sent ${route}.`}
      </p>
    </div>
  );
}
