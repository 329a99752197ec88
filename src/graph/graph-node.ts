import type { NodeClass, NodeMetadata } from "../metadata/types";
import type { NameIndex } from "./name-index";
import type { ParentRows } from "./node-table";

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
}

/**
 * What a `Graph` is made of, by integer node id (internal): code that numbers nodes can take the builder's
 * numbering instead of looking names up.
 */
export interface GraphTable {
  /** Node name → id; ids are `0 .. names.length - 1`. */
  readonly ids: NameIndex;
  readonly names: readonly string[];
  readonly nodes: readonly GraphNode[];
  readonly metas: readonly NodeMetadata[];
  /** The ids in topological order (`Graph.order` holds their names). */
  readonly order: Int32Array;
  /** The distinct parents of each node (in the sorted order of the input fields that reference them). */
  readonly parents: ParentRows;
}
