import { badInput } from '../../errors/app-error';
import { MAX_FILTER_VALUES } from '../../kpi/planning/request-validation';

/** A filter value longer than any dimension value we store is a mistake or an attack. */
export const MAX_FILTER_VALUE_LENGTH = 1_000;

/**
 * Filter lists of a root field, checked before anything runs: each list at most
 * MAX_FILTER_VALUES values of at most MAX_FILTER_VALUE_LENGTH characters. The error names the
 * argument (`filter.branch`), so a client knows which list to shorten.
 */
export function assertFilterBounds(filter: unknown): void {
  if (!filter || typeof filter !== 'object') return;
  for (const [dimension, values] of Object.entries(filter as Record<string, unknown>)) {
    if (!Array.isArray(values)) continue;
    const argument = `filter.${dimension}`;
    if (values.length > MAX_FILTER_VALUES)
      throw badInput(`${argument} lists ${values.length} values; at most ${MAX_FILTER_VALUES} are allowed`, {
        argument,
        values: values.length,
        limit: MAX_FILTER_VALUES,
      });
    const long = values.find((value) => typeof value === 'string' && value.length > MAX_FILTER_VALUE_LENGTH);
    if (long !== undefined)
      throw badInput(
        `A value in ${argument} is ${String(long).length} characters long; at most ${MAX_FILTER_VALUE_LENGTH} are allowed`,
        { argument, limit: MAX_FILTER_VALUE_LENGTH },
      );
  }
}
