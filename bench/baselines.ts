// The schedulers moirae is compared with: p-graph and a minimal hand-written promise scheduler.
import { PGraph } from "p-graph";
import type { Graph } from "../src/index";
import { checkData } from "../src/validation/validate-data";
import { tick } from "./measure";
import { BenchInput, BenchOutput } from "./shapes";

/** A graph as index lists, with each node's literal inputs and references. */
export interface PlainGraph {
  readonly names: readonly string[];
  readonly parents: readonly (readonly number[])[];
  readonly children: readonly (readonly number[])[];
  readonly literals: readonly Readonly<Record<string, unknown>>[];
  /** Per node: [input field, parent index, output field]. */
  readonly references: readonly (readonly [string, number, string])[][];
}

export function plainGraph(graph: Graph): PlainGraph {
  const names = graph.order;
  const index = new Map(names.map((n, i) => [n, i]));
  const parents = names.map((n) => graph.dependenciesOf(n).map((p) => index.get(p)!));
  const children = names.map((n) => graph.dependentsOf(n).map((c) => index.get(c)!));
  const literals = names.map((n) => graph.nodes.get(n)!.inputs);
  const references = names.map((n) =>
    Object.entries(graph.nodes.get(n)!.references).map(
      ([field, ref]) => [field, index.get(ref.node)!, ref.field] as const,
    ),
  );
  return { names, parents, children, literals, references };
}

/** What a baseline does per node: assemble the input, validate it, `o = x + y`, validate the output, store it. */
export function benchWork(g: PlainGraph, outputs: object[]): (i: number) => void {
  return (i) => {
    const plain: Record<string, unknown> = { ...g.literals[i] };
    for (const [field, parent, output] of g.references[i]!) {
      plain[field] = (outputs[parent] as Record<string, unknown>)[output];
    }
    const input = checkData(BenchInput, plain);
    if (!input.ok) throw new Error(`invalid input of ${g.names[i]}`);
    tick();
    const output = checkData(BenchOutput, { o: input.value.x + input.value.y });
    if (!output.ok) throw new Error(`invalid output of ${g.names[i]}`);
    outputs[i] = output.value;
  };
}

/** Runs `work` for every node with p-graph (`priority` per node: p-graph adds up the maximum along paths). */
export async function runPGraph(
  g: PlainGraph,
  work: (i: number) => unknown,
  options: { concurrency?: number; priority?: (i: number) => number } = {},
): Promise<void> {
  const nodes = new Map<string, { run: () => unknown; priority?: number }>();
  g.names.forEach((name, i) => {
    nodes.set(name, { run: () => work(i), priority: options.priority?.(i) });
  });
  const dependencies: [string, string][] = [];
  g.parents.forEach((ps, i) => {
    for (const p of ps) dependencies.push([g.names[p]!, g.names[i]!]);
  });
  await new PGraph(nodes, dependencies).run({ concurrency: options.concurrency });
}

/**
 * A minimal promise scheduler: a node starts when its parents are done (FIFO when `concurrency` is limited);
 * rejects on the first error.
 */
export function runHandWritten(
  g: PlainGraph,
  work: (i: number) => unknown,
  concurrency = Infinity,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const size = g.names.length;
    const pending = new Int32Array(size);
    const ready: number[] = [];
    let head = 0;
    let left = size;
    let running = 0;
    let failed = false;
    const launch = (i: number) => {
      running++;
      Promise.resolve(i)
        .then(work)
        .then(() => {
          running--;
          left--;
          for (const c of g.children[i]!) if (--pending[c]! === 0) ready.push(c);
          pump();
          if (left === 0) resolve();
        }, fail);
    };
    const fail = (error: unknown) => {
      if (!failed) reject(error);
      failed = true;
    };
    const pump = () => {
      while (!failed && running < concurrency && head < ready.length) launch(ready[head++]!);
    };
    for (let i = 0; i < size; i++) {
      pending[i] = g.parents[i]!.length;
      if (pending[i] === 0) ready.push(i);
    }
    if (size === 0) resolve();
    pump();
  });
}
