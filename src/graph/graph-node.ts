import type { HashComponents } from "../hashing/hash-components";
import type { NodeClass, NodeMetadata } from "../metadata/types";

/** A reference from an input field to a field of another node's output: `${node.field}`. */
export interface Reference {
  readonly node: string;
  readonly field: string;
}

/** One node of a built graph. */
export interface GraphNode {
  /** The node's name in the spec. */
  readonly name: string;
  /** Its node class. */
  readonly nodeClass: NodeClass;
  /** Resolved arguments: the spec's arguments with defaults filled in. */
  readonly arguments: Readonly<Record<string, unknown>>;
  /** Literal input values by input field. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Referenced input fields: input field → upstream node and output field. */
  readonly references: Readonly<Record<string, Reference>>;
  /** The topological hash (hex SHA-256). */
  readonly hash: string;
}

/** A data-flow edge: output field `output` of `from` feeds input field `input` of `to`. */
export interface GraphEdge {
  readonly from: string;
  readonly output: string;
  readonly to: string;
  readonly input: string;
}

/** Internal per-node data the executor and explain need. */
export interface NodePlan {
  readonly node: GraphNode;
  readonly meta: NodeMetadata;
  readonly components: HashComponents;
}

/**
 * Internal: a graph's nodes by position in its topological `order`, for the executor. Node `i`'s references, in
 * the order of its `GraphNode.references`, come from nodes `refParent[refStart[i]]` …
 * `refParent[refStart[i + 1] - 1]`.
 */
export interface GraphTopology {
  readonly plans: readonly NodePlan[];
  readonly hashes: readonly string[];
  readonly refStart: Int32Array;
  readonly refParent: Int32Array;
}
