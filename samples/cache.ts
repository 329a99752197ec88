// A cache in action, with a FileCacheProvider: the first run takes ~3 s (Add sleeps 1 s, Multiply
// 2 s, c waits for both), the second ~0 s with every node cached, and after a's input changes exactly a and c
// run again (b is still cached), ~2 s.
// Run with: npm run sample -- samples/cache.ts
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { IsNumber } from "class-validator";
import {
  buildGraph,
  executeStream,
  FileCacheProvider,
  type GraphSpec,
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

const executed: string[] = [];

@Node({ input: Operands, output: Result })
class Add {
  async execute(input: Operands, ctx: NodeContext): Promise<Result> {
    executed.push(ctx.name);
    await setTimeoutAbortable(1000, ctx.signal);
    return { o: input.x + input.y };
  }
}

@Node({ input: Operands, output: Result })
class Multiply {
  async execute(input: Operands, ctx: NodeContext): Promise<Result> {
    executed.push(ctx.name);
    await setTimeoutAbortable(2000, ctx.signal);
    return { o: input.x * input.y };
  }
}

function setTimeoutAbortable(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

const spec = (aInputs: { x: number; y: number }): GraphSpec => ({
  a: { node: "Add", inputs: aInputs },
  b: { node: "Multiply", inputs: { x: 3, y: 2 } },
  c: { node: "Add", inputs: { x: "${b.o}", y: "${a.o}" } },
});

async function run(
  title: string,
  cache: FileCacheProvider,
  aInputs: { x: number; y: number },
): Promise<void> {
  console.log(title);
  executed.length = 0;
  const start = performance.now();
  for await (const r of executeStream(buildGraph(spec(aInputs)), { cache })) {
    console.log(`  ${r.node}: ${r.status.padEnd(6)} o=${(r.output as Result).o}`);
  }
  const seconds = ((performance.now() - start) / 1000).toFixed(2);
  console.log(`  executed: [${executed.join(", ")}] in ${seconds} s`);
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "moirae-sample-cache-"));
  const cache = new FileCacheProvider({ dir });
  try {
    await run("first run (empty cache):", cache, { x: 1, y: 2 });
    await run("second run (everything cached):", cache, { x: 1, y: 2 });
    await run("a's input changed (a and c re-run, b cached):", cache, { x: 5, y: 2 });
    console.log(`cache: ${JSON.stringify(await cache.stats())} in ${dir}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  void Add;
  void Multiply;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
