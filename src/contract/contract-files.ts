import fs from 'node:fs';
import path from 'node:path';

/** Where the contract's committed files live, found from either src/ or dist/src/. */
export function repositoryRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i += 1) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'schema.graphql')))
      return dir;
    dir = path.dirname(dir);
  }
  throw new Error(
    `the repository root (package.json beside schema.graphql) was not found above ${__dirname}`,
  );
}

export const contractFiles = (root: string = repositoryRoot()) => ({
  schema: path.join(root, 'schema.graphql'),
  releasedSchema: path.join(root, 'contract', 'schema.released.graphql'),
  acceptedChanges: path.join(root, 'contract', 'accepted-changes.json'),
  operationsDir: path.join(root, 'operations'),
  exampleVariables: path.join(root, 'operations', 'example-variables.json'),
  persistedDocuments: path.join(root, 'operations', 'generated', 'persisted-documents.json'),
  packageJson: path.join(root, 'package.json'),
});
