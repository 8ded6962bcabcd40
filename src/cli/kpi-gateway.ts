#!/usr/bin/env node
import { runIngest, INGEST_USAGE } from './ingest-command';

/** The `kpi-gateway` command (npm bin). One subcommand today: ingest. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'ingest') return runIngest(rest);
  process.stderr.write(
    `Usage: kpi-gateway <command>\n\nCommands:\n  ingest    upload a CSV file to a running gateway\n\n${INGEST_USAGE}\n`,
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
