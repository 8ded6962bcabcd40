import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';
import { z } from 'zod';
import { AppError, ErrorCode } from '../errors/app-error';

/**
 * Compares the generated schema with the last released one. Breaking changes fail the contract
 * check unless `contract/accepted-changes.json` records them (a reviewed commit says who accepted
 * which change and why); dangerous changes are listed, never silently passed over.
 */
const acceptedChangeSchema = z
  .object({
    type: z.string().regex(/^[A-Z_]+$/, 'must be a @graphql-inspector change type such as FIELD_REMOVED'),
    path: z.string().min(1),
    reason: z.string().min(10, 'say why client teams can live with it'),
    approvedBy: z.string().min(1),
  })
  .strict();

const acceptedChangesSchema = z
  .object({
    $comment: z.string().optional(),
    releasedVersion: z.string().min(1),
    accepted: z.array(acceptedChangeSchema),
  })
  .strict();

export type AcceptedChanges = z.infer<typeof acceptedChangesSchema>;
export type AcceptedChange = z.infer<typeof acceptedChangeSchema>;

export interface SchemaChange {
  readonly type: string;
  readonly path: string;
  readonly message: string;
  readonly level: 'BREAKING' | 'DANGEROUS' | 'NON_BREAKING';
  readonly reason?: string;
}

export interface CompatibilityReport {
  /** Breaking changes nobody recorded: the check fails on any. */
  readonly unacceptedBreaking: readonly SchemaChange[];
  /** Breaking changes recorded in accepted-changes.json. */
  readonly acceptedBreaking: readonly SchemaChange[];
  /** Accepted entries that match no change: stale records hide nothing and must be removed. */
  readonly staleAccepted: readonly AcceptedChange[];
  readonly dangerous: readonly SchemaChange[];
  readonly safe: readonly SchemaChange[];
}

export function parseAcceptedChanges(json: string): AcceptedChanges {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new AppError(ErrorCode.CONFIG_INVALID, 'contract/accepted-changes.json is not valid JSON', {
      cause: error,
    });
  }
  const parsed = acceptedChangesSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new AppError(ErrorCode.CONFIG_INVALID, `contract/accepted-changes.json is invalid: ${problems}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

export async function checkCompatibility(
  releasedSdl: string,
  currentSdl: string,
  accepted: AcceptedChanges,
): Promise<CompatibilityReport> {
  const changes = (await diff(buildSchema(releasedSdl), buildSchema(currentSdl))).map(toSchemaChange);
  const matches = (entry: AcceptedChange, change: SchemaChange) =>
    entry.type === change.type && entry.path === change.path;
  const breaking = changes.filter((c) => c.level === 'BREAKING');
  return {
    unacceptedBreaking: breaking.filter((c) => !accepted.accepted.some((entry) => matches(entry, c))),
    acceptedBreaking: breaking.filter((c) => accepted.accepted.some((entry) => matches(entry, c))),
    staleAccepted: accepted.accepted.filter((entry) => !breaking.some((c) => matches(entry, c))),
    dangerous: changes.filter((c) => c.level === 'DANGEROUS'),
    safe: changes.filter((c) => c.level === 'NON_BREAKING'),
  };
}

export function isCompatible(report: CompatibilityReport): boolean {
  return report.unacceptedBreaking.length === 0 && report.staleAccepted.length === 0;
}

/** The report as people read it in CI logs; every entry names what to copy into accepted-changes.json. */
export function formatReport(report: CompatibilityReport): string {
  const lines: string[] = [];
  const section = (title: string, changes: readonly SchemaChange[]) => {
    if (changes.length === 0) return;
    lines.push(`${title} (${changes.length}):`);
    for (const c of changes)
      lines.push(`  - [${c.type}] ${c.path}: ${c.message}${c.reason ? ` (${c.reason})` : ''}`);
  };
  section('BREAKING, not accepted', report.unacceptedBreaking);
  section('BREAKING, accepted in contract/accepted-changes.json', report.acceptedBreaking);
  section('DANGEROUS (clients may behave differently; review)', report.dangerous);
  section('Safe', report.safe);
  if (report.staleAccepted.length > 0) {
    lines.push(`Accepted entries that match no change; remove them (${report.staleAccepted.length}):`);
    for (const entry of report.staleAccepted) lines.push(`  - [${entry.type}] ${entry.path}`);
  }
  if (lines.length === 0) lines.push('No changes against the released schema.');
  return lines.join('\n');
}

function toSchemaChange(change: Change): SchemaChange {
  const level = change.criticality.level;
  return {
    type: change.type,
    // Changes without a path (schema-level ones) are identified by their message.
    path: change.path ?? change.message,
    message: change.message,
    level:
      level === CriticalityLevel.Breaking
        ? 'BREAKING'
        : level === CriticalityLevel.Dangerous
          ? 'DANGEROUS'
          : 'NON_BREAKING',
    reason: change.criticality.reason,
  };
}
