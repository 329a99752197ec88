// A stand-in for the executor in tests: runs a built Graph's nodes one at a time, in `graph.order`, with
// runNode. No parallelism, cache or retries — only the data flow the executor would carry.
import { type Graph, runNode } from "../../src/index";

/** Runs every node of `graph` and resolves to each node's output. */
export async function runGraph(graph: Graph): Promise<Record<string, Record<string, unknown>>> {
  const outputs: Record<string, Record<string, unknown>> = {};
  for (const name of graph.order) {
    const node = graph.nodes.get(name)!;
    const input: Record<string, unknown> = { ...node.inputs };
    for (const [field, ref] of Object.entries(node.references)) input[field] = outputs[ref.node]![ref.field];
    outputs[name] = (await runNode(node.nodeClass, input, { args: { ...node.arguments } })) as Record<
      string,
      unknown
    >;
  }
  return outputs;
}
