import {
  type CacheOperation,
  type CacheOperationDetails,
  formatCacheFailure,
} from "./cache-operation-details";
import { MoiraeError } from "./moirae-error";

/**
 * A cache provider could not store, delete or clear (`set`, `delete`, `clear`): the disk is full or read-only,
 * the server is unreachable or did not answer in time, the value is too large. Nothing partial is left
 * visible; the executor reports it as a `cache:error` event and the run goes on.
 */
export class CacheWriteError extends MoiraeError {
  /** The entry's key, when the write was about one entry. */
  readonly key: string | undefined;
  /** The provider's class name. */
  readonly provider: string;
  readonly operation: CacheOperation;
  /** The file path or server the provider wrote to. */
  readonly location: string;

  constructor(details: CacheOperationDetails) {
    super(formatCacheFailure(details), { cause: details.cause });
    this.key = details.key;
    this.provider = details.provider;
    this.operation = details.operation;
    this.location = details.location;
  }
}
