import { z } from 'zod';

/**
 * Configured API keys: only the sha256 of each key is stored. The same format is read from
 * `API_KEYS` and from the file `API_KEYS_FILE` (which the gateway re-reads when it changes, so a key
 * is added or revoked without a restart). Either a JSON array of entries, or one entry per line (or
 * separated by `;`) in the compact form `id:sha256:roles[:datasets]`, roles and datasets
 * comma-separated. Lines starting with `#` are comments.
 */
export const ROLES = ['reader', 'uploader', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A dataset name (as datasets/dataset-kinds.ts allows them) or a prefix ending in `*`. */
export const DATASET_SCOPE = /^(?:[a-z0-9][a-z0-9._-]{0,62}\*?|\*)$/;

const entrySchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'id must be 1–64 characters of A-Z a-z 0-9 . _ -'),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'sha256 must be the 64 hex digits printed by `kpi-gateway mint-key`'),
    roles: z.array(z.enum(ROLES)).min(1, 'at least one role (reader, uploader, admin)'),
    datasets: z
      .array(z.string().regex(DATASET_SCOPE, 'a dataset name or a prefix ending in *'))
      .min(1)
      .optional(),
  })
  .strict()
  .refine((entry) => !(entry.roles.includes('admin') && entry.datasets), {
    message: 'an admin key reaches every dataset; give it no datasets (or give it reader/uploader roles)',
  });

export type ApiKeyEntry = Readonly<z.infer<typeof entrySchema>>;

/** Parses either form; throws an Error whose message says which entry is wrong and why. */
export function parseApiKeys(text: string): ApiKeyEntry[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const raw: unknown[] = trimmed.startsWith('[') ? parseJson(trimmed) : parseCompact(trimmed);
  const entries = raw.map((item, index) => {
    const parsed = entrySchema.safeParse(item);
    if (!parsed.success)
      throw new Error(
        `entry ${index + 1}: ${parsed.error.issues.map((i) => `${i.path.length > 0 ? `${i.path.join('.')} ` : ''}${i.message}`).join('; ')}`,
      );
    return parsed.data;
  });
  const ids = new Set<string>();
  for (const entry of entries) {
    if (ids.has(entry.id)) throw new Error(`key id ${entry.id} appears twice`);
    ids.add(entry.id);
  }
  return entries;
}

function parseJson(text: string): unknown[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`not valid JSON (${(error as Error).message})`, { cause: error });
  }
  if (!Array.isArray(raw)) throw new Error('the JSON form is an array of {id, sha256, roles, datasets?}');
  return raw;
}

function parseCompact(text: string): unknown[] {
  return text
    .split(/[\n;]/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [id, sha256, roles, datasets, ...rest] = line.split(':');
      if (rest.length > 0 || roles === undefined)
        throw new Error(`"${line.slice(0, 40)}…" is not id:sha256:roles[:datasets]`);
      return {
        id,
        sha256,
        roles: roles.split(',').filter(Boolean),
        ...(datasets ? { datasets: datasets.split(',').filter(Boolean) } : {}),
      };
    });
}

/** The compact line that configures a key (what `kpi-gateway mint-key` prints). */
export function apiKeyLine(entry: ApiKeyEntry): string {
  return [
    entry.id,
    entry.sha256,
    entry.roles.join(','),
    ...(entry.datasets ? [entry.datasets.join(',')] : []),
  ].join(':');
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Binding to this host keeps the gateway reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const name = host.trim().toLowerCase();
  return LOOPBACK_NAMES.has(name) || /^127(?:\.\d{1,3}){3}$/.test(name);
}

/** Host header names a loopback bind answers to. */
export const LOOPBACK_HOST_NAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];
