/**
 * What the command-line client reads from its environment (the gateway's own settings are in
 * config.ts). The key comes from the environment rather than a flag when possible: flags show in
 * `ps` and shell history.
 */
export function clientApiKey(source: NodeJS.ProcessEnv = process.env): string | undefined {
  const key = source.KPI_GATEWAY_API_KEY?.trim();
  return key ? key : undefined;
}
