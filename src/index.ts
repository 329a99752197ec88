import "reflect-metadata";

export { CacheProvider } from "./cache/cache-provider";
export { Codec } from "./cache/codec";
export { type FileCacheOptions, FileCacheProvider } from "./cache/file-cache-provider";
export { type MemoryCacheOptions, MemoryCacheProvider } from "./cache/memory-cache-provider";
export {
  type RedisCacheClient,
  type RedisCacheOptions,
  RedisCacheProvider,
} from "./cache/redis-cache-provider";
export { MAX_VALUE_DEPTH } from "./constants";
export { Input } from "./decorators/input";
export { Node } from "./decorators/node";
export { Output } from "./decorators/output";
export { CacheConfigurationError } from "./errors/cache-configuration-error";
export { CacheDecodeError } from "./errors/cache-decode-error";
export { CacheEncodeError } from "./errors/cache-encode-error";
export { CacheKeyError } from "./errors/cache-key-error";
export { CacheReadError } from "./errors/cache-read-error";
export { CacheWriteError } from "./errors/cache-write-error";
export { DataValidationError } from "./errors/data-validation-error";
export { ExecutionAbortedError } from "./errors/execution-aborted-error";
export { ExecutionOptionsError } from "./errors/execution-options-error";
export { GraphExecutionError } from "./errors/graph-execution-error";
export { type GraphIssue, GraphValidationError } from "./errors/graph-validation-error";
export { MoiraeError } from "./errors/moirae-error";
export { NodeArgumentsError } from "./errors/node-arguments-error";
export { NodeDefinitionError } from "./errors/node-definition-error";
export { NodeExecutionError } from "./errors/node-execution-error";
export { NodeOutputError } from "./errors/node-output-error";
export { NodeRefusedError } from "./errors/node-refused-error";
export { NodeSkippedError } from "./errors/node-skipped-error";
export { NodeTimeoutError } from "./errors/node-timeout-error";
export { NodeTransferError } from "./errors/node-transfer-error";
export { SharedNodeInstanceError } from "./errors/shared-node-instance-error";
export { UnhashableValueError } from "./errors/unhashable-value-error";
export { UnknownNodeError } from "./errors/unknown-node-error";
export type { ValidationIssue } from "./errors/validation-issue";
export { ValueTooDeepError } from "./errors/value-too-deep-error";
export type { ErrorMode, ExecuteOptions } from "./execution/execute-options";
export type { ExecutionEvent, ExecutionEventType } from "./execution/execution-event";
export { Executor, execute, executeStream } from "./execution/executor";
export type { NodeContext } from "./execution/node-context";
export { NodeDispatcher, type NodeTask } from "./execution/node-dispatcher";
export type { NodeResult, NodeResultStatus } from "./execution/node-result";
export { type InputOf, type OutputOf, type RunNodeOptions, runNode } from "./execution/run-node";
export { diffHashes, explainHash, type HashExplanation } from "./graph/explain-hash";
export { Graph } from "./graph/graph";
export { buildGraph, GraphBuilder } from "./graph/graph-builder";
export type { GraphEdge, GraphNode, Reference } from "./graph/graph-node";
export type { GraphSpec, NodeSpec } from "./graph/graph-spec";
export { GraphSpecBuilder } from "./graph/graph-spec-builder";
export { OutputReference } from "./graph/output-reference";
export type {
  ArgumentName,
  InputValue,
  NodeArguments,
  NodeInputs,
  NodeInputType,
  NodeOutputs,
  NodeOutputType,
  NoSuchArgument,
  NoSuchInputField,
  TypedNodeOptions,
  TypedNodeParameters,
} from "./graph/typed-spec";
export type { NodeStatus } from "./graph/visualize";
export type { Fingerprint, HashComponents, UpstreamComponent } from "./hashing/hash-components";
export { describeNode, type FieldInfo, type NodeDescription } from "./metadata/describe-node";
export type { NodeContainer } from "./metadata/node-container";
export { NODES, NodeRegistry, resetNodeRegistry } from "./metadata/registry";
export type { NodeClass, NodeOptions, RetryPolicy } from "./metadata/types";
export { RunReport, type RunReportOptions } from "./report/run-report";
export { ThreadPool, type ThreadPoolOptions } from "./threads/thread-pool";
