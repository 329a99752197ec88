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

/**
 * How many levels of containers (arrays, objects, Maps, Sets, class instances) a value may nest inside one field of
 * an input, output or argument. Deeper values are rejected with a typed error naming the path and this limit, the
 * same in the builder, hashing, validation, argument copying and the cache codec: class-transformer and msgpack
 * recurse once per level, and 500 leaves them a wide margin of the call stack.
 */
export const MAX_VALUE_DEPTH = 500;
