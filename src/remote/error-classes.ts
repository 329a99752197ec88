import { CacheConfigurationError } from "../errors/cache-configuration-error";
import { CacheDecodeError } from "../errors/cache-decode-error";
import { CacheEncodeError } from "../errors/cache-encode-error";
import { CacheKeyError } from "../errors/cache-key-error";
import { CacheOperationError } from "../errors/cache-operation-error";
import { CacheReadError } from "../errors/cache-read-error";
import { CacheWriteError } from "../errors/cache-write-error";
import { DataValidationError } from "../errors/data-validation-error";
import { ExecutionAbortedError } from "../errors/execution-aborted-error";
import { ExecutionOptionsError } from "../errors/execution-options-error";
import { GraphExecutionError } from "../errors/graph-execution-error";
import { GraphValidationError } from "../errors/graph-validation-error";
import { MoiraeError } from "../errors/moirae-error";
import { NodeArgumentsError } from "../errors/node-arguments-error";
import { NodeDefinitionError } from "../errors/node-definition-error";
import { NodeExecutionError } from "../errors/node-execution-error";
import { NodeOutputError } from "../errors/node-output-error";
import { NodeRefusedError } from "../errors/node-refused-error";
import { NodeSkippedError } from "../errors/node-skipped-error";
import { NodeTimeoutError } from "../errors/node-timeout-error";
import { NodeTransferError } from "../errors/node-transfer-error";
import { UnhashableValueError } from "../errors/unhashable-value-error";

/** Every moirae error class by constructor name: the classes a serialised error is re-created as. */
export const MOIRAE_ERROR_CLASSES = new Map<string, Function>(
  [
    CacheConfigurationError,
    CacheDecodeError,
    CacheEncodeError,
    CacheKeyError,
    CacheOperationError,
    CacheReadError,
    CacheWriteError,
    DataValidationError,
    ExecutionAbortedError,
    ExecutionOptionsError,
    GraphExecutionError,
    GraphValidationError,
    MoiraeError,
    NodeArgumentsError,
    NodeDefinitionError,
    NodeExecutionError,
    NodeOutputError,
    NodeRefusedError,
    NodeSkippedError,
    NodeTimeoutError,
    NodeTransferError,
    UnhashableValueError,
  ].map((cls) => [cls.name, cls]),
);

/**
 * Lets errors of `cls` (a `MoiraeError` subclass of an integration, e.g. `moirae/bullmq`) cross threads and
 * processes as instances of `cls` rather than plain `Error`s.
 */
export function registerRemoteErrorClass(cls: Function): void {
  MOIRAE_ERROR_CLASSES.set(cls.name, cls);
}
