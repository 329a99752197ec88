// Run options: fail-fast and continue, retries with events, targets.
// Run with: npm run sample -- samples/run-options.ts
import { IsNumber } from "class-validator";
import {
  buildGraph,
  execute,
  GraphExecutionError,
  GraphSpecBuilder,
  Input,
  Node,
  type NodeContext,
  NodeExecutionError,
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

@Node({ input: Operands, output: Result })
class Add {
  async execute(input: Operands): Promise<Result> {
    return { o: input.x + input.y };
  }
}

/** Fails its first `failures` tries, like a service that is briefly unreachable. */
@Node({ input: Operands, output: Result })
class Fetch {
  @IsNumber() failures = 1;
  async execute(input: Operands, ctx: NodeContext): Promise<Result> {
    if (ctx.attempt <= this.failures) throw new Error("connection refused");
    return { o: input.x * input.y };
  }
}

const spec = new GraphSpecBuilder();
const a = spec.node("a", Add, { inputs: { x: 1, y: 2 } });
const b = spec.node("b", Fetch, { arguments: { failures: 5 }, inputs: { x: 3, y: 2 } });
spec.node("c", Add, { inputs: { x: b.o, y: a.o } });
const graph = buildGraph(spec);

async function main(): Promise<void> {
  // fail-fast (the default): the run rejects with the failing node's NodeExecutionError
  try {
    await execute(graph);
  } catch (error) {
    if (error instanceof NodeExecutionError) {
      console.log("fail-fast:", error.node, error.attempts, (error.cause as Error).message);
    }
  }

  // continue: dependents of b are skipped, independent branches finish
  const error = await execute(graph, { onError: "continue" }).catch((e: unknown) => e);
  if (error instanceof GraphExecutionError) {
    console.log(`continue: ${error.message}`);
    console.log("outputs:", JSON.stringify(error.outputs));
  }

  // retries: 5 failures need 5 retries; events show each try
  const events: string[] = [];
  const outputs = await execute(graph, {
    retries: 5,
    onEvent: (event) => {
      if (event.node === "b") events.push(`${event.type}${event.attempt ? `#${event.attempt}` : ""}`);
    },
  });
  console.log("retries:", JSON.stringify(outputs));
  console.log("events of b:", events.join(" "));

  // targets: run a and what it needs only, return its output only
  console.log("targets:", JSON.stringify(await execute(graph, { targets: ["a"] })));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
