import 'reflect-metadata';
import fs from 'node:fs';
import { contractFiles } from '../contract/contract-files';
import {
  checkCompatibility,
  formatReport,
  isCompatible,
  parseAcceptedChanges,
} from '../contract/schema-compatibility';
import { printGatewaySchema } from '../graphql/schema';

/**
 * `npm run contract:check`: the schema the code generates against the last released schema.
 * Exits 1 on a breaking change that contract/accepted-changes.json does not record.
 */
async function main(): Promise<number> {
  const files = contractFiles();
  const accepted = parseAcceptedChanges(fs.readFileSync(files.acceptedChanges, 'utf8'));
  const report = await checkCompatibility(
    fs.readFileSync(files.releasedSchema, 'utf8'),
    printGatewaySchema(),
    accepted,
  );
  process.stdout.write(
    `Against the released schema of ${accepted.releasedVersion}:\n${formatReport(report)}\n`,
  );
  if (isCompatible(report)) return 0;
  process.stderr.write(
    '\nThe contract check failed. Restore compatibility, or record the change in contract/accepted-changes.json (see contract/README.md).\n',
  );
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `contract check failed to run: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(2);
  },
);
