import 'reflect-metadata';
import fs from 'node:fs';
import { contractFiles } from '../contract/contract-files';
import type { AcceptedChanges } from '../contract/schema-compatibility';
import { printGatewaySchema } from '../graphql/schema';

/**
 * `npm run contract:release`, run when a version is released: the generated schema becomes the
 * baseline and the accepted breaking changes, now part of that baseline, are cleared. The commit
 * it produces is the reviewed step; never run it to silence a failing check on an unreleased change.
 */
const files = contractFiles();
const { version } = JSON.parse(fs.readFileSync(files.packageJson, 'utf8')) as { version: string };
const previous = JSON.parse(fs.readFileSync(files.acceptedChanges, 'utf8')) as AcceptedChanges;
fs.writeFileSync(files.releasedSchema, printGatewaySchema());
const next: AcceptedChanges = { $comment: previous.$comment, releasedVersion: version, accepted: [] };
fs.writeFileSync(files.acceptedChanges, `${JSON.stringify(next, null, 2)}\n`);
process.stdout.write(
  `contract/schema.released.graphql is now the schema of ${version}; ${previous.accepted.length} accepted change(s) cleared.\n`,
);
