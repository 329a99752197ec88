import { CacheOperationError } from "./cache-operation-error";

/**
 * A cache provider could not store, delete or clear (`set`, `delete`, `clear`): the disk is full or read-only,
 * the server is unreachable or did not answer in time, the value is too large. Nothing partial is left
 * visible; the executor reports it as a `cache:error` event and the run goes on.
 */
export class CacheWriteError extends CacheOperationError {}
