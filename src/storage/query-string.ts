/**
 * A request URL's query as the S3 server and the signature check both read it: split on `&`,
 * each name and value decoded once (the signer encodes them again itself), a malformed escape
 * kept as written rather than refused here (the signature check then fails on it instead).
 */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The decoded `[name, value]` pairs of a URL's query, in order; a bare name has the value ''. */
export function queryPairs(url: string): Array<readonly [string, string]> {
  const text = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  return text
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      const name = safeDecode(eq < 0 ? part : part.slice(0, eq));
      return [name, eq < 0 ? '' : safeDecode(part.slice(eq + 1))] as const;
    });
}
