import "reflect-metadata";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { container } from "tsyringe";
import { parseInput } from "../../src/graph/reference";
import {
  type ArgumentName,
  buildGraph,
  execute,
  GraphBuilder,
  GraphSpecBuilder,
  GraphValidationError,
  type NodeInputType,
  type NodeOutputs,
  type NodeOutputType,
  OutputReference,
} from "../../src/index";
import { AddMul, Constant, Echo, Maybe, MaybeO, Multiply, O, Stringify } from "../fixtures/typed-graph-nodes";

// Positive type tests: compiled with the suite, so a wrong derivation fails `npm test`.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const typeChecks: [
  Equal<ArgumentName<typeof AddMul>, "coef">, // not the service `scale`, not the methods
  Equal<ArgumentName<typeof Multiply>, never>,
  Equal<ArgumentName<typeof Stringify>, "prefix">,
  Equal<NodeOutputType<typeof AddMul>, O>,
  Equal<NodeOutputs<typeof AddMul>, { readonly o: OutputReference<number> }>,
  Equal<NodeOutputs<typeof Maybe>, { readonly o: OutputReference<number | undefined> }>,
  Equal<NodeOutputType<typeof Maybe>, MaybeO>,
  Equal<NodeInputType<typeof Constant>, undefined>,
] = [true, true, true, true, true, true, true, true];
void typeChecks;

/** The example graph, built with the builder. */
function example(): GraphSpecBuilder {
  const spec = new GraphSpecBuilder();
  const a = spec.node("a", AddMul, { arguments: { coef: 2 }, inputs: { x: 1, y: 2 } });
  const b = spec.node("b", Multiply, { inputs: { x: 3, y: 2 } });
  spec.node("c", AddMul, { inputs: { x: b.o, y: a.o } });
  return spec;
}

/** The same graph, written by hand as JSON. */
const EXAMPLE_JSON = `{
  "a": { "node": "TypedAddMul", "arguments": { "coef": 2 }, "inputs": { "x": 1, "y": 2 } },
  "b": { "node": "TypedMultiply", "inputs": { "x": 3, "y": 2 } },
  "c": { "node": "TypedAddMul", "inputs": { "x": "\${b.o}", "y": "\${a.o}" } }
}`;

const hashes = (graph: ReturnType<typeof buildGraph>) =>
  Object.fromEntries(graph.order.map((n) => [n, graph.hashOf(n)]));

describe("GraphSpecBuilder", () => {
  it("toSpec() is the plain spec: registered names, references as ${node.field}", () => {
    assert.deepEqual(example().toSpec(), JSON.parse(EXAMPLE_JSON));
    assert.equal(JSON.stringify(example().toSpec()), JSON.stringify(JSON.parse(EXAMPLE_JSON)));
  });

  it("builds the same graph as the hand-written JSON: same order, edges and hashes", () => {
    const typed = buildGraph(example());
    const json = buildGraph(JSON.parse(EXAMPLE_JSON));
    assert.deepEqual(hashes(typed), hashes(json));
    assert.deepEqual(typed.edges, json.edges);
    assert.deepEqual(hashes(container.resolve(GraphBuilder).build(example())), hashes(json));
  });

  it("runs: the outputs are those of the JSON graph", async () => {
    const outputs = await execute(buildGraph(example()));
    assert.deepEqual(Object.fromEntries(Object.entries(outputs).map(([n, o]) => [n, (o as O).o])), {
      a: 6,
      b: 6,
      c: 12,
    });
  });

  it("a node without input takes no inputs; its options may be left out", () => {
    const spec = new GraphSpecBuilder();
    const k = spec.node("k", Constant, { arguments: { value: 5 } });
    spec.node("k0", Constant);
    spec.node("t", Stringify, { inputs: { n: k.o } });
    assert.deepEqual(spec.toSpec(), {
      k: { node: "TypedConstant", arguments: { value: 5 }, inputs: {} },
      k0: { node: "TypedConstant", inputs: {} },
      t: { node: "TypedStringify", inputs: { n: "${k.o}" } },
    });
    assert.equal(buildGraph(spec).order.length, 3);
  });

  it("escapes ${ in literal strings, at any depth, and the node gets them unchanged", async () => {
    const texts = ["${a.o}", "$${x}", "price: ${cost}", "plain", "$$${", "${"];
    const spec = new GraphSpecBuilder();
    texts.forEach((text, i) => {
      spec.node(`e${i}`, Echo, { inputs: { text, tags: [text, "${b.o}"] } });
    });
    assert.deepEqual(spec.toSpec().e0!.inputs, { text: "$${a.o}", tags: ["$${a.o}", "$${b.o}"] });
    const outputs = await execute(buildGraph(spec));
    texts.forEach((text, i) => {
      assert.equal((outputs[`e${i}`] as { text: string }).text, `${text}|${text}|\${b.o}`);
    });
  });

  it("any literal string reaches the node unchanged: toSpec's escaping is undone by the spec parser", () => {
    const text = fc.string({ unit: fc.constantFrom("$", "{", "}", ".", "a", "_", "1", " ") });
    fc.assert(
      fc.property(text, fc.array(text, { maxLength: 3 }), (literal, tags) => {
        const spec = new GraphSpecBuilder();
        spec.node("e", Echo, { inputs: { text: literal, tags } });
        const inputs = spec.toSpec().e!.inputs;
        assert.deepEqual(parseInput(inputs.text), { kind: "literal", value: literal });
        assert.deepEqual(parseInput(inputs.tags), { kind: "literal", value: tags });
      }),
      { numRuns: 500 },
    );
  });

  it('regression: "$$${{" (a dollar, then an escape) is the literal "$${{", not an invalid reference', () => {
    assert.deepEqual(parseInput("$$${{"), { kind: "literal", value: "$${{" });
    assert.equal(parseInput("$${a.o} ${b").kind, "invalid");
  });

  it("two nodes of one name: a GraphValidationError when the spec is built", () => {
    const spec = new GraphSpecBuilder();
    spec.node("a", Multiply, { inputs: { x: 1, y: 2 } });
    spec.node("a", Multiply, { inputs: { x: 3, y: 4 } });
    const error = capture(() => buildGraph(spec));
    assert.deepEqual(
      error.issues.map((i) => [i.code, i.path]),
      [["duplicate-node", "a"]],
    );
    assert.match(error.message, /two nodes are named "a"/);
  });

  it("a reference made by another builder: a GraphValidationError naming the input", () => {
    const other = new GraphSpecBuilder();
    const b = other.node("b", Multiply, { inputs: { x: 3, y: 2 } });
    const spec = new GraphSpecBuilder();
    spec.node("b", Multiply, { inputs: { x: 3, y: 2 } });
    spec.node("c", AddMul, { inputs: { x: b.o, y: 1 } });
    const error = capture(() => spec.toSpec());
    assert.deepEqual(
      error.issues.map((i) => [i.code, i.path]),
      [["foreign-reference", "c.inputs.x"]],
    );
    assert.match(error.message, /\$\{b\.o\} was made by another GraphSpecBuilder/);
  });

  it("what `as any` lets through is still caught by buildGraph", () => {
    const spec = new GraphSpecBuilder();
    const b = spec.node("b", Multiply, { inputs: { x: 3, y: 2 } });
    const t = spec.node("t", Stringify, { inputs: { n: 1 } });
    spec.node("c", AddMul, { inputs: { x: (b as any).q, y: "two" as any } });
    spec.node("d", AddMul, { inputs: { x: t.text as any, y: 1 }, arguments: { coef: 1.5 } });
    const error = capture(() => buildGraph(spec));
    assert.deepEqual(error.issues.map((i) => `${i.code} ${i.path}`).sort(), [
      "invalid-argument d.arguments.coef",
      "invalid-literal c.inputs.y",
      "type-mismatch d.inputs.x",
      "unknown-output-field c.inputs.x",
    ]);
  });

  it("a reference inside a literal (through `as any`) is an error, not a string", () => {
    const spec = new GraphSpecBuilder();
    const t = spec.node("t", Stringify, { inputs: { n: 1 } });
    spec.node("e", Echo, { inputs: { text: "x", tags: [t.text] as any } });
    const error = capture(() => buildGraph(spec));
    assert.deepEqual(
      error.issues.map((i) => [i.code, i.path]),
      [["nested-reference", "e.inputs.tags[0]"]],
    );
  });
});

function capture(fn: () => unknown): GraphValidationError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof GraphValidationError, String(error));
    return error;
  }
  assert.fail("expected a GraphValidationError");
}
