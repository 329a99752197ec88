import { IsInt, IsNumber } from "class-validator";
import {
  buildGraph,
  executeStream,
  GraphSpecBuilder,
  Input,
  MemoryCacheProvider,
  Node,
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
class AddMul {
  @IsInt() coef = 1; // an argument: set from the graph, validated, part of the hash

  async execute(input: Operands): Promise<Result> {
    return { o: this.coef * (input.x + input.y) };
  }
}

@Node({ input: Operands, output: Result })
class Multiply {
  async execute(input: Operands): Promise<Result> {
    return { o: input.x * input.y };
  }
}

// tsc checks the wiring: input names and types, arguments, output fields (b.o)
const spec = new GraphSpecBuilder();
const a = spec.node("a", AddMul, { arguments: { coef: 2 }, inputs: { x: 1, y: 2 } }); // a.o = 2 * (1 + 2) = 6
const b = spec.node("b", Multiply, { inputs: { x: 3, y: 2 } }); // b.o = 3 * 2 = 6
spec.node("c", AddMul, { inputs: { x: b.o, y: a.o } }); // c.o = b.o + a.o = 12
const graph = buildGraph(spec);

async function main(): Promise<void> {
  const cache = new MemoryCacheProvider();
  for (const run of ["first run", "second run"]) {
    console.log(`${run}:`);
    // one result per node, as each completes: a and b run at once, c as soon as both are done
    for await (const result of executeStream(graph, { cache })) {
      console.log(`  ${result.node} ${result.status} ${JSON.stringify(result.output)}`);
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
