#!/usr/bin/env node
// Sends a .graphql document (and a JSON file of variables) to the gateway and prints the answer,
// indented: the shell-friendly way to run examples/report.graphql or an operation of operations/.
// Usage: node scripts/graphql-request.mjs DOCUMENT.graphql [VARIABLES.json] [URL]
// URL defaults to http://127.0.0.1:4000/graphql. Exit status 1 when the answer has errors.
import fs from 'node:fs';

const [documentFile, variablesFile, url = 'http://127.0.0.1:4000/graphql'] = process.argv.slice(2);
if (!documentFile) {
  process.stderr.write('Usage: node scripts/graphql-request.mjs DOCUMENT.graphql [VARIABLES.json] [URL]\n');
  process.exit(2);
}
const query = fs.readFileSync(documentFile, 'utf8');
const variables = variablesFile ? JSON.parse(fs.readFileSync(variablesFile, 'utf8')) : {};
const response = await fetch(url, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query, variables }),
});
const answer = await response.json();
process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
process.exit(answer.errors ? 1 : 0);
