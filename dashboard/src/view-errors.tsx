import type { CombinedError } from 'urql';

/** A view's two kinds of error: a range the pickers cannot resolve, and the API's own message. */
export function ViewErrors(props: { range: { error: string } | object; error: CombinedError | undefined }) {
  return (
    <>
      {'error' in props.range && (
        <p role="alert" className="error">
          {props.range.error}
        </p>
      )}
      {props.error && (
        <p role="alert" className="error">
          {props.error.graphQLErrors[0]?.message ?? props.error.message}
        </p>
      )}
    </>
  );
}
