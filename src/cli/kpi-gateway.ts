#!/usr/bin/env node
import { runIngest, INGEST_USAGE } from './ingest-command';
import { runMintKey, MINT_KEY_USAGE } from './mint-key-command';

/** The `kpi-gateway` command (npm bin): ingest a file, mint an API key. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'ingest') return runIngest(rest);
  if (command === 'mint-key') return runMintKey(rest);
  process.stderr.write(
    `Usage: kpi-gateway <command>\n\nCommands:\n  ingest    upload a CSV file to a running gateway\n  mint-key  create an API key and the line that configures it\n\n${INGEST_USAGE}\n\n${MINT_KEY_USAGE}\n`,
  );
  return command === undefined || command === '--help' || command === 'help' ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`kpi-gateway: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
