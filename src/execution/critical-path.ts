/**
 * The longest remaining path of each selected node, counted in selected nodes (itself included): how many nodes
 * at least still run, one after another, once it starts. `children` lists are in topological index order.
 */
export function remainingPathLengths(
  children: readonly (readonly number[])[],
  selected: Uint8Array | undefined,
): Int32Array {
  const size = children.length;
  const lengths = new Int32Array(size);
  for (let i = size - 1; i >= 0; i--) {
    if (selected && !selected[i]) continue;
    let longest = 0;
    for (const c of children[i]!) {
      const l = lengths[c]!;
      if (l > longest) longest = l;
    }
    lengths[i] = longest + 1;
  }
  return lengths;
}
