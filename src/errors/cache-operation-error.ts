import {
  type CacheOperation,
  type CacheOperationDetails,
  formatCacheFailure,
} from "./cache-operation-details";
import { MoiraeError } from "./moirae-error";

/** What `CacheReadError` and `CacheWriteError` share: which provider, operation, key and place failed. */
export class CacheOperationError extends MoiraeError {
  /** The entry's key, when the operation was about one entry. */
  readonly key: string | undefined;
  /** The provider's class name. */
  readonly provider: string;
  readonly operation: CacheOperation;
  /** The file path or server the provider used. */
  readonly location: string;

  constructor(details: CacheOperationDetails) {
    super(formatCacheFailure(details), { cause: details.cause });
    this.key = details.key;
    this.provider = details.provider;
    this.operation = details.operation;
    this.location = details.location;
  }
}
