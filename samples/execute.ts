// Streaming and eager execution: Add sleeps 0.2 s, Multiply 0.4 s. a and b start at once;
// a is done at ~0.2 s, b at ~0.4 s, and c starts right after b (its last input) — at ~0.4 s, not at a "layer"
// boundary — and, being an Add, is done 0.2 s later. The order of the run's events shows it without a clock.
// Run with: npm run sample -- samples/execute.ts
import { IsNumber } from "class-validator";
import {
  buildGraph,
  type ExecutionEvent,
  execute,
  executeStream,
  GraphSpecBuilder,
  Input,
  Node,
  type NodeContext,
  Output,
} from "../src/index";

@Input()
class Operands {
  @IsNumber() x!: number;
  @IsNumber() y!: number;
}

@Output()
class Result {
  @IsNumber() o!: number;
}

/** Resolves after `ms`, or rejects when the run is aborted. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

@Node({ input: Operands, output: Result })
class Add {
  async execute(input: Operands, ctx: NodeContext): Promise<Result> {
    await sleep(200, ctx.signal);
    return { o: input.x + input.y };
  }
}

@Node({ input: Operands, output: Result })
class Multiply {
  async execute(input: Operands, ctx: NodeContext): Promise<Result> {
    await sleep(400, ctx.signal);
    return { o: input.x * input.y };
  }
}

async function main(): Promise<void> {
  const spec = new GraphSpecBuilder();
  const a = spec.node("a", Add, { inputs: { x: 1, y: 2 } }); // a.o = 3
  const b = spec.node("b", Multiply, { inputs: { x: 3, y: 2 } }); // b.o = 6
  spec.node("c", Add, { inputs: { x: b.o, y: a.o } }); // c.o = 9
  const graph = buildGraph(spec);

  console.log("streaming (async):");
  const start = performance.now();
  const seconds = (ms = performance.now() - start) => (ms / 1000).toFixed(2);
  const order: string[] = [];
  const onEvent = (e: ExecutionEvent) => {
    if (e.type === "node:start" || e.type === "node:done") order.push(`${e.node}:${e.type.slice(5)}`);
  };
  for await (const r of executeStream(graph, { onEvent })) {
    const end = performance.now() - start;
    const begin = end - r.durationMs;
    console.log(
      `  ${r.node} ${r.status} at ${seconds(end)} s (started at ${seconds(begin)} s): ${JSON.stringify(r.output)}`,
    );
  }
  console.log(`  total ${seconds()} s`);
  console.log(`  events: ${order.join(" ")}`);

  console.log("eager:");
  const eager = performance.now();
  const outputs = await execute(graph);
  console.log(`  ${((performance.now() - eager) / 1000).toFixed(2)} s`, outputs);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
