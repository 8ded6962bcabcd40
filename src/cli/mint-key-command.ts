import { parseArgs } from 'node:util';
import { apiKeyLine, parseApiKeys } from '../config/api-keys-config';
import { hashApiKey, mintApiKey } from '../auth/api-key-store';

export const MINT_KEY_USAGE = `Usage: kpi-gateway mint-key --id NAME --roles reader[,uploader][,admin] [--datasets acme-*,other]

Prints a new random API key (once: only its sha256 is ever stored) and the line that configures it.
Append that line to API_KEYS_FILE (re-read without a restart) or to API_KEYS (entries separated
by ';'). Rotate by minting the next key, moving clients to it, then deleting the old line.`;

/** `kpi-gateway mint-key …`; returns the process exit status. */
export function runMintKey(argv: string[]): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        id: { type: 'string' },
        roles: { type: 'string' },
        datasets: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${MINT_KEY_USAGE}\n`);
    return 1;
  }
  if (values.help || !values.id || !values.roles) {
    process.stderr.write(`${MINT_KEY_USAGE}\n`);
    return values.help ? 0 : 1;
  }
  const key = mintApiKey();
  const line = [values.id, hashApiKey(key), values.roles, ...(values.datasets ? [values.datasets] : [])].join(
    ':',
  );
  let entry;
  try {
    // The same parser the gateway uses: a line printed here is a line the gateway accepts.
    [entry] = parseApiKeys(line);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${MINT_KEY_USAGE}\n`);
    return 1;
  }
  if (!entry) return 1;
  process.stdout.write(
    `API key (shown once; give it to the client, e.g. as KPI_GATEWAY_API_KEY):\n  ${key}\n\n` +
      `Configure its hash (a line of API_KEYS_FILE, or an entry of API_KEYS):\n  ${apiKeyLine(entry)}\n`,
  );
  return 0;
}
