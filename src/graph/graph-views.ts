import type { GraphTable } from "./graph-node";

/**
 * A read-only Map over the nodes of a graph's table by name, in topological order: of each node, what `pick`
 * makes of its id. Nothing is copied: the table's id Map and arrays are the storage.
 */
export class NodeMapView<V> implements ReadonlyMap<string, V> {
  constructor(
    private readonly table: GraphTable,
    private readonly pick: (table: GraphTable, id: number) => V,
  ) {
    Object.freeze(this);
  }
  get size(): number {
    return this.table.order.length;
  }
  get(key: string): V | undefined {
    const id = this.table.ids.idOf(key);
    return id < 0 ? undefined : this.pick(this.table, id);
  }
  has(key: string): boolean {
    return this.table.ids.idOf(key) >= 0;
  }
  *entries(): MapIterator<[string, V]> {
    const { table } = this;
    const { order, names } = table;
    for (let k = 0; k < order.length; k++) yield [names[order[k]!]!, this.pick(table, order[k]!)];
  }
  *keys(): MapIterator<string> {
    const { order, names } = this.table;
    for (let k = 0; k < order.length; k++) yield names[order[k]!]!;
  }
  *values(): MapIterator<V> {
    const { table } = this;
    const { order } = table;
    for (let k = 0; k < order.length; k++) yield this.pick(table, order[k]!);
  }
  forEach(fn: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) fn.call(thisArg, value, key, this);
  }
  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }
}
