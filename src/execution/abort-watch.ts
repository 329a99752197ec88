/** Callbacks per signal: one listener per signal however many runs share it (no MaxListeners warning). */
const watchers = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `onAbort` when `signal` aborts; returns the function that stops watching. */
export function watchAbort(signal: AbortSignal, onAbort: () => void): () => void {
  let callbacks = watchers.get(signal);
  if (!callbacks) {
    const set = new Set<() => void>();
    callbacks = set;
    watchers.set(signal, set);
    signal.addEventListener(
      "abort",
      () => {
        watchers.delete(signal);
        for (const callback of set) callback();
      },
      { once: true },
    );
  }
  callbacks.add(onAbort);
  const set = callbacks;
  return () => {
    set.delete(onAbort);
  };
}
