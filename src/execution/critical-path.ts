import type { Adjacency } from "./adjacency";

/**
 * The longest remaining path of each selected node, counted in selected nodes (itself included): how many nodes
 * at least still run, one after another, once it starts. Node indices are topological.
 */
export function remainingPathLengths(children: Adjacency, selected: Uint8Array | undefined): Int32Array {
  const size = children.start.length - 1;
  const { start, list } = children;
  const lengths = new Int32Array(size);
  for (let i = size - 1; i >= 0; i--) {
    if (selected && !selected[i]) continue;
    let longest = 0;
    for (let k = start[i]!; k < start[i + 1]!; k++) {
      const l = lengths[list[k]!]!;
      if (l > longest) longest = l;
    }
    lengths[i] = longest + 1;
  }
  return lengths;
}
