import type { Role } from '../config/api-keys-config';

/**
 * Who is calling: the same shape whether the credential was an API key or a JWT. Roles decide
 * which operations run; `datasets` (names or `prefix*`) decide which datasets exist for the caller.
 */
export interface Principal {
  /** `key:<id>`, `jwt:<sub>` or `local` (loopback without credentials configured); for logs. */
  readonly id: string;
  readonly roles: ReadonlySet<Role>;
  /** null: every dataset. */
  readonly datasets: readonly string[] | null;
  /**
   * Everything that decides what this caller may see. Callers with equal access get equal answers,
   * so caches are partitioned by it (not by who the caller is, which would only lower hit rates).
   */
  readonly access: string;
}

export function createPrincipal(
  id: string,
  roles: Iterable<Role>,
  datasets: readonly string[] | null,
): Principal {
  const roleSet = new Set(roles);
  // An admin reaches every dataset (docs/security.md); a scope on it would only mislead.
  const scopes = roleSet.has('admin') || datasets === null ? null : [...new Set(datasets)].sort();
  return Object.freeze({
    id,
    roles: roleSet,
    datasets: scopes,
    access: `${[...roleSet].sort().join(',')}|${scopes === null ? '*' : scopes.join(',')}`,
  });
}

/** A loopback gateway without keys: the developer on this machine may do everything. */
export const LOCAL_PRINCIPAL: Principal = createPrincipal('local', ['admin'], null);

/** admin includes every other role. */
export function hasRole(principal: Principal, role: Role): boolean {
  return principal.roles.has(role) || principal.roles.has('admin');
}

/** A scope is a dataset name, or a prefix ending in `*` (`acme-*`); `*` alone is every dataset. */
export function canSeeDataset(principal: Principal, dataset: string): boolean {
  if (principal.datasets === null) return true;
  return principal.datasets.some((scope) =>
    scope.endsWith('*') ? dataset.startsWith(scope.slice(0, -1)) : dataset === scope,
  );
}
