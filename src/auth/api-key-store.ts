import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import { parseApiKeys, type ApiKeyEntry } from '../config/api-keys-config';
import type { Logger } from '../config/logger';

/** Keys carry 256 random bits, so a plain sha256 is enough to store them (no password stretching needed). */
const KEY_PREFIX = 'kpi_';
/** The keys file is looked at no more than once a second. */
const FILE_CHECK_INTERVAL_MS = 1000;

export function mintApiKey(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * The active keys: those of `API_KEYS` plus those of `API_KEYS_FILE`, which is re-read when it
 * changes, so adding the next key and later removing the old one needs no restart.
 */
export class ApiKeyStore {
  private fileEntries: readonly ApiKeyEntry[] = [];
  private fileStamp = '';
  private checkedAt = 0;

  constructor(
    private readonly envEntries: readonly ApiKeyEntry[],
    private readonly file: string | undefined,
    private readonly logger: Logger,
  ) {
    this.reloadIfChanged(true);
  }

  get size(): number {
    return this.envEntries.length + this.fileEntries.length;
  }

  /** The entry whose hash matches; every stored hash is compared, in constant time each. */
  verify(presented: string): ApiKeyEntry | undefined {
    this.reloadIfChanged(false);
    const digest = Buffer.from(hashApiKey(presented), 'hex');
    let found: ApiKeyEntry | undefined;
    for (const entry of [...this.envEntries, ...this.fileEntries]) {
      if (timingSafeEqual(digest, Buffer.from(entry.sha256, 'hex')) && !found) found = entry;
    }
    return found;
  }

  private reloadIfChanged(force: boolean): void {
    if (!this.file) return;
    const now = Date.now();
    if (!force && now - this.checkedAt < FILE_CHECK_INTERVAL_MS) return;
    this.checkedAt = now;
    try {
      const stat = fs.statSync(this.file);
      const stamp = `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
      if (stamp === this.fileStamp) return;
      this.fileEntries = parseApiKeys(fs.readFileSync(this.file, 'utf8'));
      this.fileStamp = stamp;
      this.logger.info('API keys loaded', { file: this.file, keys: this.fileEntries.map((e) => e.id) });
    } catch (error) {
      if (force) throw error;
      // A half-written or broken file must not lock everyone out: the keys loaded last stay active.
      this.logger.error('API keys file unreadable; keeping the keys loaded before', {
        file: this.file,
        error: error as Error,
      });
    }
  }
}
