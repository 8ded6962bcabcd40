import { Fragment, useState } from 'react';
import { useMutation, type UseQueryState } from 'urql';
import {
  DashboardRetryUploadDocument,
  type DashboardUploadLedgerQuery,
  type UploadStatus,
} from '../../operations/generated/graphql';
import { RowErrors } from './row-errors';
import { apiMessage } from './upload-transfer';

export const UPLOAD_STATUSES: UploadStatus[] = [
  'PENDING',
  'RECEIVED',
  'LOADING',
  'LOADED',
  'REJECTED',
  'FAILED',
  'DUPLICATE',
  'REPLACED',
];

export interface LedgerPaging {
  status: UploadStatus | '';
  /** Cursors of the pages before this one; the last is this page's `after`. */
  cursors: Array<string | null>;
}

/**
 * The upload ledger, newest first, a page at a time (cursor paging of `uploads`), filtered by
 * status; each upload's row errors on demand; Retry on a FAILED upload (the API decides who may:
 * a refusal shows its message by the row).
 */
export function UploadLedger(props: {
  ledger: UseQueryState<DashboardUploadLedgerQuery>;
  paging: LedgerPaging;
  setPaging: (paging: LedgerPaging) => void;
  onChanged: () => void;
}) {
  const { ledger, paging, setPaging } = props;
  const [open, setOpen] = useState<string | null>(null);
  const [refusals, setRefusals] = useState<Record<string, string>>({});
  const [retrying, retry] = useMutation(DashboardRetryUploadDocument);
  const page = ledger.data?.uploads;

  const onRetry = async (id: string) => {
    const answer = await retry({ id });
    setRefusals((current) => ({ ...current, [id]: answer.error ? apiMessage(answer.error) : '' }));
    if (!answer.error) props.onChanged();
  };

  return (
    <section aria-labelledby="ledger-heading">
      <h2 id="ledger-heading">Upload ledger</h2>
      <div className="row">
        <label>
          Status{' '}
          <select
            value={paging.status}
            onChange={(e) => setPaging({ status: e.target.value as UploadStatus | '', cursors: [null] })}
          >
            <option value="">all</option>
            {UPLOAD_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </div>
      {ledger.error && (
        <p role="alert" className="error">
          {apiMessage(ledger.error)}
        </p>
      )}
      <div className="scroll">
        <table className="ledger" aria-busy={ledger.fetching}>
          <thead>
            <tr>
              <th scope="col">Dataset</th>
              <th scope="col">Status</th>
              <th scope="col">Rows</th>
              <th scope="col">Rejected</th>
              <th scope="col">When</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {page?.nodes.length === 0 && (
              <tr>
                <td colSpan={6}>No uploads{paging.status ? ` with status ${paging.status}` : ''} yet.</td>
              </tr>
            )}
            {(page?.nodes ?? []).map((u) => (
              <Fragment key={u.id}>
                <tr data-upload={u.id} data-upload-status={u.status}>
                  <td>{u.dataset}</td>
                  <td>
                    {u.status}
                    {u.error && <span className="error"> · {u.error.code}</span>}
                  </td>
                  <td className="num">{u.rowsLoaded}</td>
                  <td className="num">{u.rowsRejected}</td>
                  <td>{new Date(u.createdAt).toLocaleString()}</td>
                  <td className="actions">
                    {u.rowErrorCount > 0 && (
                      <button
                        aria-expanded={open === u.id}
                        onClick={() => setOpen(open === u.id ? null : u.id)}
                      >
                        Row errors ({u.rowErrorCount})
                      </button>
                    )}
                    {u.status === 'FAILED' && (
                      <button disabled={retrying.fetching} onClick={() => void onRetry(u.id)}>
                        Retry
                      </button>
                    )}
                  </td>
                </tr>
                {refusals[u.id] && (
                  <tr>
                    <td colSpan={6} role="alert" className="error">
                      Retry refused: {refusals[u.id]}
                    </td>
                  </tr>
                )}
                {open === u.id && (
                  <tr>
                    <td colSpan={6}>
                      <RowErrors uploadId={u.id} count={u.rowErrorCount} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
      <div className="row">
        <button
          disabled={paging.cursors.length <= 1}
          onClick={() => setPaging({ ...paging, cursors: paging.cursors.slice(0, -1) })}
        >
          Newer
        </button>
        <span>Page {paging.cursors.length}</span>
        <button
          disabled={!page?.pageInfo.hasNextPage}
          onClick={() =>
            setPaging({ ...paging, cursors: [...paging.cursors, page?.pageInfo.endCursor ?? null] })
          }
        >
          Older
        </button>
      </div>
    </section>
  );
}
