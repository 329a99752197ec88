/** Key of the one moirae metadata store on `globalThis` (shared by every copy of the package in a process). */
export const METADATA_STORE_KEY: unique symbol = Symbol.for("moirae.metadata-store.v1") as never;

/** Version of the topological hash format; bump it when the hashed components or their encoding change. */
export const HASH_FORMAT_VERSION = 1;

/** Version of the cache entry frame (`cache/entry-frame.ts`); 1 was the separate MOCD / MOIR headers. */
export const CACHE_FORMAT_VERSION = 2;

/** The class-validator options moirae validates data with: unknown properties are errors. */
export const VALIDATOR_OPTIONS = Object.freeze({
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
});
