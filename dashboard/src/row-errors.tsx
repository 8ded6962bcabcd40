import { useQuery } from 'urql';
import { DashboardUploadRowErrorsDocument } from '../../operations/generated/graphql';

const SHOWN = 50;

/** An upload's row errors from the ledger: line, column, reason and value, the first 50 in file order. */
export function RowErrors(props: { uploadId: string; count: number }) {
  const [result] = useQuery({
    query: DashboardUploadRowErrorsDocument,
    variables: { id: props.uploadId, first: SHOWN, offset: 0 },
    pause: props.count === 0,
  });
  if (props.count === 0) return null;
  if (result.error)
    return (
      <p role="alert" className="error">
        {result.error.graphQLErrors[0]?.message ?? result.error.message}
      </p>
    );
  const errors = result.data?.upload?.rowErrors ?? [];
  return (
    <div className="row-errors">
      <table>
        <caption>
          Row errors{props.count > SHOWN ? ` (the first ${SHOWN} of ${props.count})` : ` (${props.count})`}
        </caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Column</th>
            <th scope="col">Reason</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {result.fetching && errors.length === 0 && (
            <tr>
              <td colSpan={4}>Loading…</td>
            </tr>
          )}
          {errors.map((e, i) => (
            <tr key={`${e.line}-${e.column ?? ''}-${i}`}>
              <td className="num">{e.line}</td>
              <td>{e.column ?? '—'}</td>
              <td>{e.reason}</td>
              <td>
                <code>{e.value ?? ''}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
