import type { ParentRows } from "./node-table";

/**
 * Orders nodes `0..count-1` so that every node comes after its parents (Kahn's algorithm over integer ids,
 * iterative: depth is unlimited). Ties keep id order. Returns the order, or the cycles (each as ids
 * `[a, b, …, a]` in data-flow direction) when there are any.
 *
 * (The `toposort` package recurses once per node of a path and overflows the stack on a 10,000-node chain
 * listed root-last, so moirae orders graphs itself.)
 */
export function topologicalOrder(parents: ParentRows): { order: Int32Array; cycles: number[][] } {
  const { start, list } = parents;
  const count = start.length - 1;
  const indegree = new Int32Array(count);
  // Children in compressed rows: childStart[p]..childStart[p+1] index into `children`.
  const childStart = new Int32Array(count + 1);
  for (let id = 0; id < count; id++) {
    indegree[id] = start[id + 1]! - start[id]!;
    for (let k = start[id]!; k < start[id + 1]!; k++) childStart[list[k]! + 1]!++;
  }
  for (let id = 0; id < count; id++) childStart[id + 1]! += childStart[id]!;
  const children = new Int32Array(childStart[count]!);
  const fill = childStart.slice(0, count);
  for (let id = 0; id < count; id++) {
    for (let k = start[id]!; k < start[id + 1]!; k++) children[fill[list[k]!]!++] = id;
  }

  const order = new Int32Array(count);
  let length = 0;
  for (let id = 0; id < count; id++) if (indegree[id] === 0) order[length++] = id;
  for (let i = 0; i < length; i++) {
    const parent = order[i]!;
    for (let c = childStart[parent]!; c < childStart[parent + 1]!; c++) {
      const child = children[c]!;
      if (--indegree[child]! === 0) order[length++] = child;
    }
  }
  if (length === count) return { order, cycles: [] };
  return { order: order.subarray(0, length), cycles: findCycles(parents, indegree) };
}

/** Among nodes left with parents after Kahn's algorithm, walks parent links to find each distinct cycle. */
function findCycles(parents: ParentRows, indegree: Int32Array): number[][] {
  const { start, list } = parents;
  const count = start.length - 1;
  const stuck = (id: number) => indegree[id]! > 0;
  const stuckParent = (id: number) => {
    for (let k = start[id]!; k < start[id + 1]!; k++) if (stuck(list[k]!)) return list[k]!;
    return undefined;
  };
  const settled = new Uint8Array(count);
  const cycles: number[][] = [];
  for (let first = 0; first < count; first++) {
    if (!stuck(first) || settled[first]) continue;
    const path: number[] = [];
    const onPath = new Map<number, number>();
    let current: number | undefined = first;
    while (current !== undefined && !settled[current] && !onPath.has(current)) {
      onPath.set(current, path.length);
      path.push(current);
      current = stuckParent(current);
    }
    if (current !== undefined && onPath.has(current)) {
      // path walks upstream from `current` back to it; reversed, it is in data-flow order.
      const loop = path.slice(onPath.get(current)!).reverse();
      // The smallest id starts the cycle (no Math.min(...loop): a long cycle would overflow the argument list).
      let least = 0;
      for (let i = 1; i < loop.length; i++) if (loop[i]! < loop[least]!) least = i;
      const rotated = [...loop.slice(least), ...loop.slice(0, least)];
      cycles.push([...rotated, rotated[0]!]);
    }
    for (const id of path) settled[id] = 1;
  }
  return cycles;
}
