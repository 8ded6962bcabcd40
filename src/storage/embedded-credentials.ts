import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { S3Credentials } from './sigv4-verifier';

/**
 * The embedded object store's key pair when none is configured: generated once per data directory
 * and kept in a file only its owner can read, so every gateway has its own and no well-known
 * default exists. chDB gets the same pair with each `s3()` read.
 */
export function loadOrCreateEmbeddedCredentials(dataDir: string): S3Credentials {
  const file = path.join(dataDir, 's3-credentials.json');
  if (fs.existsSync(file)) {
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<S3Credentials>;
    if (typeof stored.accessKeyId === 'string' && typeof stored.secretAccessKey === 'string')
      return { accessKeyId: stored.accessKeyId, secretAccessKey: stored.secretAccessKey };
    throw new Error(`${file} does not hold accessKeyId and secretAccessKey; remove it to generate new ones`);
  }
  const credentials: S3Credentials = {
    accessKeyId: `KPIGW${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64url'),
  };
  fs.mkdirSync(dataDir, { recursive: true });
  // `wx`: two processes starting on one new data dir cannot overwrite each other's pair.
  fs.writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return credentials;
}
