// Building a graph: three nodes, a data flow b.o -> c.a and a.o -> c.b.
// Run with: npm run sample -- samples/graph.ts
import { IsNumber } from "class-validator";
import { buildGraph, Input, Node, Output } from "../src/index";

@Input()
class Operands {
  @IsNumber() a!: number;
  @IsNumber() b!: number;
}

@Output()
class Result {
  @IsNumber() o!: number;
}

@Node({ input: Operands, output: Result })
class Add {
  async execute(input: Operands): Promise<Result> {
    return { o: input.a + input.b };
  }
}

@Node({ input: Operands, output: Result })
class Multiply {
  async execute(input: Operands): Promise<Result> {
    return { o: input.a * input.b };
  }
}

const graph = buildGraph({
  a: { node: "Add", arguments: {}, inputs: { a: 1, b: 2 } }, // a.o = 1 + 2
  b: { node: "Multiply", arguments: {}, inputs: { a: 3, b: 2 } }, // b.o = 3 * 2
  c: { node: "Add", arguments: {}, inputs: { a: "${b.o}", b: "${a.o}" } }, // c.o = b.o + a.o
});

console.log("nodes:");
for (const name of graph.order) {
  const node = graph.nodes.get(name)!;
  console.log(`  ${name}: ${node.nodeClass.name} ${node.hash}`);
}
console.log("edges:");
for (const edge of graph.edges) console.log(`  ${edge.from}.${edge.output} -> ${edge.to}.${edge.input}`);
console.log("mermaid:");
console.log(graph.toMermaid());
void Add;
void Multiply;
