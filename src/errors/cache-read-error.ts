import { CacheOperationError } from "./cache-operation-error";

/**
 * A cache provider could not answer a read (`get`, `has`, `stats`): the entry is corrupt or truncated, the
 * server is unreachable or did not answer in time. Providers throw it instead of returning doubtful bytes;
 * the executor counts it as a miss and emits a `cache:error` event.
 */
export class CacheReadError extends CacheOperationError {}
