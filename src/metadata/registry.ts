import { injectable } from "tsyringe";
import { getMetadataStore } from "./metadata-store";
import type { NodeClass } from "./types";

/** The read-only view of the node registry exported as `NODES`. */
class NodeRegistryView implements ReadonlyMap<string, NodeClass> {
  get size(): number {
    return getMetadataStore().nodeCount;
  }
  get(name: string): NodeClass | undefined {
    return getMetadataStore().nodeByName(name)?.target as NodeClass | undefined;
  }
  has(name: string): boolean {
    return getMetadataStore().nodeByName(name) !== undefined;
  }
  *entries(): MapIterator<[string, NodeClass]> {
    for (const name of [...getMetadataStore().nodeNames()]) yield [name, this.get(name)!];
  }
  *keys(): MapIterator<string> {
    yield* [...getMetadataStore().nodeNames()];
  }
  *values(): MapIterator<NodeClass> {
    for (const [, value] of this.entries()) yield value;
  }
  forEach(
    fn: (value: NodeClass, key: string, map: ReadonlyMap<string, NodeClass>) => void,
    thisArg?: unknown,
  ): void {
    for (const [key, value] of this.entries()) fn.call(thisArg, value, key, this);
  }
  [Symbol.iterator](): MapIterator<[string, NodeClass]> {
    return this.entries();
  }
  get [Symbol.toStringTag](): string {
    return "NODES";
  }
  /** Shown by `console.log(NODES)`: `Map(1) { 'AddMul' => [class AddMul] }`. */
  [Symbol.for("nodejs.util.inspect.custom")](): Map<string, NodeClass> {
    return new Map(this.entries());
  }
}

/**
 * Every registered node class by name (read-only). `@Node` adds to it; a duplicate name is a
 * `NodeDefinitionError`.
 *
 * @example
 * console.log(NODES); // Map(1) { 'AddMul' => [class AddMul] }
 */
export const NODES: ReadonlyMap<string, NodeClass> = Object.freeze(new NodeRegistryView());

/**
 * Forgets every registered node class, so tests can define classes with the same names again. Call it in
 * `beforeEach` of tests that define nodes; never in production code.
 */
export function resetNodeRegistry(): void {
  getMetadataStore().clearNodes();
}

/**
 * How the graph builder finds node classes by name: injectable, so a container can serve another set of nodes
 * (`child.register(NodeRegistry, { useValue: NodeRegistry.of({ Add: FakeAdd }) })`). The default
 * reads the global `NODES`.
 */
@injectable()
export class NodeRegistry {
  /** The classes this registry serves; the global `NODES` unless made with `NodeRegistry.of`. */
  protected nodes: ReadonlyMap<string, NodeClass> = NODES;

  /** A registry serving exactly `nodes` (name → class), for a container of its own. */
  static of(nodes: ReadonlyMap<string, NodeClass> | Record<string, NodeClass>): NodeRegistry {
    const registry = new NodeRegistry();
    registry.nodes = nodes instanceof Map ? nodes : new Map(Object.entries(nodes));
    return registry;
  }

  /** The class registered under `name`, or undefined. */
  get(name: string): NodeClass | undefined {
    return this.nodes.get(name);
  }

  /** Every registered name. */
  names(): string[] {
    return [...this.nodes.keys()];
  }
}
