import {
  type CacheOperation,
  type CacheOperationDetails,
  formatCacheFailure,
} from "./cache-operation-details";
import { MoiraeError } from "./moirae-error";

/**
 * A cache provider could not answer a read (`get`, `has`, `stats`): the entry is corrupt or truncated, the
 * server is unreachable or did not answer in time. Providers throw it instead of returning doubtful bytes;
 * the executor counts it as a miss and emits a `cache:error` event.
 */
export class CacheReadError extends MoiraeError {
  /** The entry's key, when the read was about one entry. */
  readonly key: string | undefined;
  /** The provider's class name. */
  readonly provider: string;
  readonly operation: CacheOperation;
  /** The file path or server the provider read from. */
  readonly location: string;

  constructor(details: CacheOperationDetails) {
    super(formatCacheFailure(details), { cause: details.cause });
    this.key = details.key;
    this.provider = details.provider;
    this.operation = details.operation;
    this.location = details.location;
  }
}
