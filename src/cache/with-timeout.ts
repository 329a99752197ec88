/** Rejects when `work` has not settled within `ms`; `work` can ask whether it has already been given up. */
export function withTimeout<T>(
  work: (givenUp: () => boolean) => Promise<T>,
  ms: number,
  what: string,
): Promise<T> {
  let givenUp = false;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      givenUp = true;
      reject(new Error(`${what} did not answer within ${ms} ms`));
    }, ms);
    Promise.resolve()
      .then(() => work(() => givenUp))
      .then(resolve, reject)
      .finally(() => clearTimeout(timer));
  });
}
