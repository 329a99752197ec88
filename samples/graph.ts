// Building a graph, both ways: in code with GraphSpecBuilder (typed: tsc checks the wiring), and as a plain spec
// (what a JSON or YAML file holds). Three nodes, data flowing b.o -> c.a and a.o -> c.b; both give the same graph.
// Run with: npm run sample -- samples/graph.ts
import { IsInt, IsNumber } from "class-validator";
import { buildGraph, GraphSpecBuilder, Input, Node, Output } from "../src/index";

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
class AddMul {
  @IsInt() coef = 1;

  async execute(input: Operands): Promise<Result> {
    return { o: this.coef * (input.a + input.b) };
  }
}

@Node({ input: Operands, output: Result })
class Multiply {
  async execute(input: Operands): Promise<Result> {
    return { o: input.a * input.b };
  }
}

// In code: each node() returns typed references to its output fields.
const spec = new GraphSpecBuilder();
const a = spec.node("a", AddMul, { arguments: { coef: 2 }, inputs: { a: 1, b: 2 } }); // a.o = 2 * (1 + 2)
const b = spec.node("b", Multiply, { inputs: { a: 3, b: 2 } }); // b.o = 3 * 2
spec.node("c", AddMul, { inputs: { a: b.o, b: a.o } }); // c.o = b.o + a.o
const graph = buildGraph(spec);

// As a plain spec, e.g. parsed from a JSON file: a reference is a string "${node.field}".
const fromJson = buildGraph({
  a: { node: "AddMul", arguments: { coef: 2 }, inputs: { a: 1, b: 2 } },
  b: { node: "Multiply", inputs: { a: 3, b: 2 } },
  c: { node: "AddMul", inputs: { a: "${b.o}", b: "${a.o}" } },
});

console.log("nodes:");
for (const name of graph.order) {
  const node = graph.nodes.get(name)!;
  console.log(`  ${name}: ${node.nodeClass.name} ${node.hash}`);
}
console.log("edges:");
for (const edge of graph.edges) console.log(`  ${edge.from}.${edge.output} -> ${edge.to}.${edge.input}`);
console.log("the plain spec:", JSON.stringify(spec.toSpec()));
console.log(
  "same hashes as the plain spec:",
  graph.order.every((n) => graph.hashOf(n) === fromJson.hashOf(n)),
);
console.log("mermaid:");
console.log(graph.toMermaid());
