import type { GraphTable, NodePlan } from "./graph-node";

/**
 * A read-only Map over the nodes of a graph's table by name, in topological order: of each node, what `pick`
 * takes from its plan. Nothing is copied: the table's id Map and plans are the storage.
 */
export class NodeMapView<V> implements ReadonlyMap<string, V> {
  constructor(
    private readonly table: GraphTable,
    private readonly pick: (plan: NodePlan) => V,
  ) {
    Object.freeze(this);
  }
  get size(): number {
    return this.table.order.length;
  }
  get(key: string): V | undefined {
    const id = this.table.ids.get(key);
    return id === undefined ? undefined : this.pick(this.table.plans[id]!);
  }
  has(key: string): boolean {
    return this.table.ids.has(key);
  }
  *entries(): MapIterator<[string, V]> {
    const { order, names, plans } = this.table;
    for (let k = 0; k < order.length; k++) yield [names[order[k]!]!, this.pick(plans[order[k]!]!)];
  }
  *keys(): MapIterator<string> {
    const { order, names } = this.table;
    for (let k = 0; k < order.length; k++) yield names[order[k]!]!;
  }
  *values(): MapIterator<V> {
    const { order, plans } = this.table;
    for (let k = 0; k < order.length; k++) yield this.pick(plans[order[k]!]!);
  }
  forEach(fn: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) fn.call(thisArg, value, key, this);
  }
  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }
}
