/**
 * Runs work for items with the same key one after another, in the order called, and work for
 * different keys (or no key) at once. Made per invocation: it holds that invocation's queue.
 */
export function serialisedBy<T>(keyOf: (item: T) => string | undefined) {
  const tails = new Map<string, Promise<unknown>>();
  return <R>(item: T, work: (item: T) => Promise<R>): Promise<R> => {
    const key = keyOf(item);
    if (key === undefined) return work(item);
    const run = (tails.get(key) ?? Promise.resolve()).then(() => work(item));
    tails.set(
      key,
      run.catch(() => undefined),
    );
    return run;
  };
}
