import type { NodeClass } from "../metadata/types";

/**
 * One node of a graph spec: which node class, its arguments, and its inputs. An input is a literal value or a
 * string that is exactly `${node.field}` — a reference to field `field` of node `node`'s output. `$${` in a
 * literal string stands for a literal `${`.
 */
export interface NodeSpec {
  /** A registered node name (see `NODES`) or the node class itself. */
  node: string | NodeClass;
  /** Argument values; left-out arguments take their defaults. */
  arguments?: Record<string, unknown>;
  /** Every field of the node's input class: a literal or a `${node.field}` reference. */
  inputs: Record<string, unknown>;
}

/**
 * A static DAG as a plain object (or parsed JSON / YAML): node name → node spec. In code, `GraphSpecBuilder`
 * builds one with types checked by tsc. Node names are identifiers
 * (`[A-Za-z_][A-Za-z0-9_]*`).
 *
 * @example
 * const spec: GraphSpec = {
 *   a: { node: "Add", inputs: { x: 1, y: 2 } },
 *   b: { node: "Multiply", inputs: { x: 3, y: 2 } },
 *   c: { node: "Add", inputs: { x: "${b.o}", y: "${a.o}" } },
 * };
 */
export type GraphSpec = Record<string, NodeSpec>;
