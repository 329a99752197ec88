/**
 * Orders nodes `0..count-1` so that every node comes after its parents (Kahn's algorithm over integer ids,
 * iterative: depth is unlimited). Ties keep id order. Returns the order, or the cycles (each as ids
 * `[a, b, …, a]` in data-flow direction) when there are any.
 *
 * (The `toposort` package recurses once per node of a path and overflows the stack on a 10,000-node chain
 * listed root-last, so moirae orders graphs itself.)
 */
export function topologicalOrder(
  count: number,
  parentsOf: (id: number) => readonly number[],
): { order: number[]; cycles: number[][] } {
  const indegree = new Int32Array(count);
  // Children in compressed rows: childStart[p]..childStart[p+1] index into `children`.
  const childStart = new Int32Array(count + 1);
  for (let id = 0; id < count; id++) {
    const parents = parentsOf(id);
    indegree[id] = parents.length;
    for (const parent of parents) childStart[parent + 1]!++;
  }
  for (let id = 0; id < count; id++) childStart[id + 1]! += childStart[id]!;
  const children = new Int32Array(childStart[count]!);
  const fill = childStart.slice(0, count);
  for (let id = 0; id < count; id++) for (const parent of parentsOf(id)) children[fill[parent]!++] = id;

  const order: number[] = [];
  for (let id = 0; id < count; id++) if (indegree[id] === 0) order.push(id);
  for (let i = 0; i < order.length; i++) {
    const parent = order[i]!;
    for (let c = childStart[parent]!; c < childStart[parent + 1]!; c++) {
      const child = children[c]!;
      if (--indegree[child]! === 0) order.push(child);
    }
  }
  if (order.length === count) return { order, cycles: [] };
  return { order, cycles: findCycles(count, indegree, parentsOf) };
}

/** Among nodes left with parents after Kahn's algorithm, walks parent links to find each distinct cycle. */
function findCycles(
  count: number,
  indegree: Int32Array,
  parentsOf: (id: number) => readonly number[],
): number[][] {
  const stuck = (id: number) => indegree[id]! > 0;
  const settled = new Uint8Array(count);
  const cycles: number[][] = [];
  for (let start = 0; start < count; start++) {
    if (!stuck(start) || settled[start]) continue;
    const path: number[] = [];
    const onPath = new Map<number, number>();
    let current: number | undefined = start;
    while (current !== undefined && !settled[current] && !onPath.has(current)) {
      onPath.set(current, path.length);
      path.push(current);
      current = parentsOf(current).find(stuck);
    }
    if (current !== undefined && onPath.has(current)) {
      // path walks upstream from `current` back to it; reversed, it is in data-flow order.
      const loop = path.slice(onPath.get(current)!).reverse();
      // The smallest id starts the cycle (no Math.min(...loop): a long cycle would overflow the argument list).
      let first = 0;
      for (let i = 1; i < loop.length; i++) if (loop[i]! < loop[first]!) first = i;
      const rotated = [...loop.slice(first), ...loop.slice(0, first)];
      cycles.push([...rotated, rotated[0]!]);
    }
    for (const id of path) settled[id] = 1;
  }
  return cycles;
}
