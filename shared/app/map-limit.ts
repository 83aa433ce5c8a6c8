/**
 * The one way the project runs async work over a list with a cap on how much is in flight (reads
 * per province, Puts per summary, evidence hashes, twin recovery). p-map does the scheduling;
 * this name keeps call sites short and lets adapters, use cases, the twin and benchmarks share it.
 * Results come back in input order; the first rejection rejects the whole and starts no new item.
 */
import pMap from 'p-map';

/** Runs `work` over `items` with at most `limit` in flight; results in input order. */
export function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  return pMap(items, work, { concurrency: limit });
}
