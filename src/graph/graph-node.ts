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

/** The parts a node's hash was computed from (see `explainHash`). */
export interface HashComponents {
  readonly formatVersion: number;
  readonly fingerprint: Fingerprint;
  /** Hash of the fingerprint parts. */
  readonly fingerprintHash: string;
  readonly arguments: Readonly<Record<string, unknown>>;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly upstream: Readonly<
    Record<string, { readonly node: string; readonly field: string; readonly hash: string }>
  >;
}

/** What a node class contributes to the hash of every node of that class. */
export interface Fingerprint {
  readonly name: string;
  readonly version: string | number | undefined;
  /** `field:Type` (`?` when optional), sorted. */
  readonly input: readonly string[];
  readonly output: readonly string[];
  readonly arguments: readonly string[];
  /** The source text of the node class (execute and every other method), and of its base classes. */
  readonly source: string;
}

/** Internal per-node data the executor and explain need. */
export interface NodePlan {
  readonly node: GraphNode;
  readonly meta: NodeMetadata;
  readonly components: HashComponents;
}
