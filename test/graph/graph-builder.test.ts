import "reflect-metadata";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { container } from "tsyringe";
import {
  buildGraph,
  GraphBuilder,
  type GraphSpec,
  GraphValidationError,
  NodeRegistry,
} from "../../src/index";
import { Add, Multiply } from "../fixtures/graph-nodes";

/** The seed's three-node graph. */
const seed = (): GraphSpec => ({
  a: { node: "Add", arguments: {}, inputs: { x: 1, y: 2 } },
  b: { node: "Multiply", arguments: {}, inputs: { x: 3, y: 2 } },
  c: { node: "Add", arguments: {}, inputs: { x: "${b.o}", y: "${a.o}" } },
});

function issuesOf(spec: unknown): { code: string; path: string; message: string }[] {
  try {
    buildGraph(spec as GraphSpec);
  } catch (error) {
    assert.ok(error instanceof GraphValidationError, `expected GraphValidationError, got ${error}`);
    return error.issues.map(({ code, path, message }) => ({ code, path, message }));
  }
  assert.fail("expected the spec to be rejected");
}

describe("buildGraph: the seed's graph", () => {
  it("builds nodes, edges, order and hashes", () => {
    const graph = buildGraph(seed());
    assert.deepEqual([...graph.nodes.keys()].sort(), ["a", "b", "c"]);
    assert.equal(graph.nodes.get("a")!.nodeClass, Add);
    assert.equal(graph.nodes.get("b")!.nodeClass, Multiply);
    assert.deepEqual(graph.nodes.get("b")!.arguments, { coef: 1 });
    assert.deepEqual(graph.nodes.get("a")!.inputs, { x: 1, y: 2 });
    assert.deepEqual(graph.nodes.get("c")!.references, {
      x: { node: "b", field: "o" },
      y: { node: "a", field: "o" },
    });
    assert.deepEqual(graph.edges, [
      { from: "b", output: "o", to: "c", input: "x" },
      { from: "a", output: "o", to: "c", input: "y" },
    ]);
    assert.equal(graph.order.at(-1), "c");
    for (const name of graph.order) assert.match(graph.hashOf(name), /^[0-9a-f]{64}$/);
    assert.equal(new Set(graph.order.map((n) => graph.hashOf(n))).size, 3);
    assert.deepEqual([...graph.dependenciesOf("c")].sort(), ["a", "b"]);
    assert.deepEqual(graph.dependentsOf("a"), ["c"]);
    assert.deepEqual(graph.dependenciesOf("a"), []);
  });

  it("accepts node classes as well as names", () => {
    const graph = buildGraph({ a: { node: Add, inputs: { x: 1, y: 2 } } });
    assert.equal(graph.nodes.get("a")!.nodeClass, Add);
    assert.equal(graph.hashOf("a"), buildGraph({ a: { node: "Add", inputs: { x: 1, y: 2 } } }).hashOf("a"));
  });

  it("lets several inputs of one node reference the same parent", () => {
    const graph = buildGraph({
      a: { node: "Add", inputs: { x: 1, y: 2 } },
      b: { node: "Add", inputs: { x: "${a.o}", y: "${a.o}" } },
    });
    assert.deepEqual(graph.dependenciesOf("b"), ["a"]);
    assert.equal(graph.edges.length, 2);
  });

  it("is immutable", () => {
    const graph = buildGraph(seed());
    assert.throws(() => {
      (graph as any).order = [];
    }, TypeError);
    assert.throws(() => (graph.order as string[]).push("x"), TypeError);
    assert.throws(() => {
      (graph.nodes.get("a") as any).hash = "x";
    }, TypeError);
  });

  it("orders a 10,000-node chain listed root-last (the toposort package overflows its stack here)", () => {
    const spec: GraphSpec = {};
    for (let i = 9_999; i >= 0; i--) {
      spec[`n${i}`] = { node: "Add", inputs: { x: i === 0 ? 0 : `\${n${i - 1}.o}`, y: 1 } };
    }
    const graph = buildGraph(spec);
    assert.equal(graph.order[0], "n0");
    assert.equal(graph.order.at(-1), "n9999");
  });

  it("resolves through the injected NodeRegistry of a child container", () => {
    const child = container.createChildContainer();
    child.register(NodeRegistry, { useValue: NodeRegistry.of({ Plus: Add }) });
    const graph = child.resolve(GraphBuilder).build({ a: { node: "Plus", inputs: { x: 1, y: 2 } } });
    assert.equal(graph.nodes.get("a")!.nodeClass, Add);
    assert.throws(
      () => child.resolve(GraphBuilder).build({ a: { node: "Add", inputs: { x: 1, y: 2 } } }),
      /"Add"/,
    );
    assert.ok(container.resolve(GraphBuilder).build({ a: { node: "Add", inputs: { x: 1, y: 2 } } }));
  });
});

describe("buildGraph: references and escaping", () => {
  it("treats $${ as a literal ${ at any depth", () => {
    const graph = buildGraph({
      a: { node: "Length", inputs: { text: "$${a.o}", tags: ["$${x}", "plain"] } },
    });
    assert.deepEqual(graph.nodes.get("a")!.inputs, { text: "${a.o}", tags: ["${x}", "plain"] });
    assert.deepEqual(graph.nodes.get("a")!.references, {});
  });

  it("rejects strings with a ${ that is not exactly one reference, suggesting the escape", () => {
    for (const text of ["${a.o} junk", "${abc}", "x ${a.o}", "${a.o.p}", "${1a.o}"]) {
      const issues = issuesOf({ s: { node: "Length", inputs: { text } } });
      assert.deepEqual(
        issues.map((i) => i.code),
        ["invalid-reference"],
        text,
      );
      assert.match(issues[0]!.message, /escape it as "\$\$\{"/);
    }
    const nested = issuesOf({ s: { node: "Length", inputs: { text: "ok", tags: ["fine", "${bad}"] } } });
    assert.deepEqual(
      nested.map((i) => i.path),
      ["s.inputs.tags[1]"],
    );
  });
});

describe("buildGraph: every problem at once", () => {
  it("reports every kind of problem in one GraphValidationError", () => {
    const spec = {
      "bad name": { node: "Add", inputs: { x: 1, y: 2 } },
      __proto__x: { node: "Add", inputs: { x: 1, y: 2 } },
      notObject: 5,
      noNode: { inputs: {} },
      unknownClass: { node: "Ad", inputs: {} },
      badArgs: { node: "Multiply", arguments: { coef: "2", extra: 1 }, inputs: { x: 1, y: 2 } },
      noInputs: { node: "Add" },
      inputsNotObject: { node: "Add", inputs: [1] },
      missingField: { node: "Add", inputs: { x: 1 } },
      unknownField: { node: "Add", inputs: { x: 1, y: 2, z: 3 } },
      wrongLiteral: { node: "Add", inputs: { x: "one", y: 2 } },
      toMissingNode: { node: "Add", inputs: { x: "${ghost.o}", y: 1 } },
      toMissingField: { node: "Add", inputs: { x: "${missingField.q}", y: 1 } },
      selfRef: { node: "Add", inputs: { x: "${selfRef.o}", y: 1 } },
      text: { node: "Stringify", inputs: { n: 1 } },
      typeMismatch: { node: "Add", inputs: { x: "${text.text}", y: 1 } },
      typo: { node: "Add", input: {}, inputs: { x: 1, y: 2 } },
    };
    const issues = issuesOf(spec);
    const codes = issues.map((i) => `${i.code} ${i.path}`);
    const expected = [
      "invalid-node-name bad name",
      "invalid-entry notObject",
      "missing-node noNode.node",
      "unknown-node-class unknownClass.node",
      "invalid-argument badArgs.arguments.coef",
      "unknown-argument badArgs.arguments.extra",
      "missing-inputs noInputs.inputs",
      "invalid-inputs inputsNotObject.inputs",
      "missing-input missingField.inputs.y",
      "unknown-input unknownField.inputs.z",
      "invalid-literal wrongLiteral.inputs.x",
      "unknown-reference-node toMissingNode.inputs.x",
      "self-reference selfRef.inputs.x",
      "type-mismatch typeMismatch.inputs.x",
      "unknown-key typo.input",
    ];
    for (const line of expected)
      assert.ok(codes.includes(line), `missing "${line}" in:\n${codes.join("\n")}`);
    const byCode = (code: string) => issues.find((i) => i.code === code)!.message;
    assert.match(byCode("unknown-node-class"), /"Ad"; did you mean "Add"/);
    assert.match(byCode("invalid-argument"), /coef must be an integer number/);
    assert.match(byCode("unknown-argument"), /"extra" is not an argument of Multiply/);
    assert.match(byCode("unknown-input"), /XY has no field "z" \(fields: x, y\)/);
    assert.match(
      byCode("type-mismatch"),
      /\$\{text.text\} is String \(TextOut.text\), but input field "x" of XY is Number/,
    );
    assert.match(byCode("unknown-key"), /did you mean "inputs"/);
  });

  it("still checks the references of a node that has problems of its own", () => {
    const issues = issuesOf({
      a: { node: "Multiply", arguments: { coef: "x" }, inputs: { x: 1, y: 2 } },
      c: { node: "Multiply", arguments: { coef: "y" }, inputs: { x: "${c.o}", y: "${a.q}" } },
    });
    assert.deepEqual(issues.map((i) => `${i.code} ${i.path}`).sort(), [
      "invalid-argument a.arguments.coef",
      "invalid-argument c.arguments.coef",
      "self-reference c.inputs.x",
      "unknown-output-field c.inputs.y",
    ]);
  });

  it("reports an unknown output field, listing the fields", () => {
    const issues = issuesOf({
      a: { node: "Add", inputs: { x: 1, y: 2 } },
      c: { node: "Add", inputs: { x: "${a.q}", y: 1 } },
    });
    assert.deepEqual(
      issues.map((i) => i.code),
      ["unknown-output-field"],
    );
    assert.match(issues[0]!.message, /Add's output has no field "q" \(fields: o\)/);
  });

  it("rejects reserved and non-identifier node names", () => {
    for (const name of ["", "constructor", "prototype", "1a", "a-b", "a.b"]) {
      const issues = issuesOf({ [name]: { node: "Add", inputs: { x: 1, y: 2 } } });
      assert.deepEqual(
        issues.map((i) => i.code),
        ["invalid-node-name"],
        name,
      );
    }
    const proto = JSON.parse('{"__proto__": {"node": "Add", "inputs": {"x": 1, "y": 2}}}');
    assert.deepEqual(
      issuesOf(proto).map((i) => i.code),
      ["invalid-node-name"],
    );
  });

  it("rejects a spec that is not an object", () => {
    assert.deepEqual(
      issuesOf(null).map((i) => i.code),
      ["invalid-spec"],
    );
    assert.deepEqual(
      issuesOf([]).map((i) => i.code),
      ["invalid-spec"],
    );
  });

  it("spells a cycle as a -> b -> c -> a, and finds every cycle", () => {
    const issues = issuesOf({
      a: { node: "Add", inputs: { x: "${c.o}", y: 1 } },
      b: { node: "Add", inputs: { x: "${a.o}", y: 1 } },
      c: { node: "Add", inputs: { x: "${b.o}", y: 1 } },
      d: { node: "Add", inputs: { x: "${c.o}", y: 1 } },
      p: { node: "Add", inputs: { x: "${q.o}", y: 1 } },
      q: { node: "Add", inputs: { x: "${p.o}", y: 1 } },
    });
    assert.deepEqual(
      issues.map((i) => i.message),
      [
        "cycle: a -> b -> c -> a. A graph must be acyclic: remove one of these references.",
        "cycle: p -> q -> p. A graph must be acyclic: remove one of these references.",
      ],
    );
    assert.match(
      String(
        (() => {
          try {
            buildGraph({
              a: { node: "Add", inputs: { x: "${c.o}", y: 1 } },
              c: { node: "Add", inputs: { x: "${a.o}", y: 1 } },
            });
          } catch (e) {
            return (e as Error).message;
          }
        })(),
      ),
      /\[cycle\] a: cycle: a -> c -> a/,
    );
  });

  it("rejects arguments and literals with no canonical encoding, naming the path", () => {
    const issues = issuesOf({
      a: { node: "Stringify", arguments: { prefix: () => "x" }, inputs: { n: 1 } },
    });
    assert.equal(issues[0]!.code, "unhashable");
    assert.match(issues[0]!.path, /a\.arguments\.prefix/);
  });

  it("lists all problems in the error message", () => {
    try {
      buildGraph({
        a: { node: "Nope", inputs: {} },
        b: { node: "Add", inputs: { x: "${zz.o}", y: 1 } },
      } as GraphSpec);
      assert.fail("expected an error");
    } catch (error) {
      assert.ok(error instanceof GraphValidationError);
      assert.match(error.message, /^Invalid graph: 2 problems\n/);
      assert.match(error.message, /\[unknown-node-class\] a\.node: no node class is registered as "Nope"/);
      assert.match(error.message, /\[unknown-reference-node\] b\.inputs\.x: \$\{zz\.o\} refers to node "zz"/);
    }
  });
});

describe("Graph.subgraph", () => {
  it("keeps targets and all their ancestors, with the same hashes", () => {
    const graph = buildGraph({
      ...seed(),
      d: { node: "Add", inputs: { x: "${c.o}", y: 1 } },
      lone: { node: "Add", inputs: { x: 1, y: 1 } },
    });
    const sub = graph.subgraph(["c"]);
    assert.deepEqual([...sub.order].sort(), ["a", "b", "c"]);
    assert.equal(sub.hashOf("c"), graph.hashOf("c"));
    assert.deepEqual(sub.dependentsOf("c"), []);
    assert.throws(
      () => graph.subgraph(["cc"]),
      (e: unknown) => e instanceof GraphValidationError && /did you mean "c"/.test(e.message),
    );
  });
});

describe("Graph visualization", () => {
  it("renders Mermaid with node names, classes and labelled edges, coloured by status", () => {
    const text = buildGraph(seed()).toMermaid({ a: "cached", c: "failed" });
    const lines = text.trim().split("\n");
    assert.equal(lines[0], "flowchart LR");
    assert.ok(lines.includes('  n_a["a<br/><small>Add</small>"]'));
    assert.ok(lines.includes('  n_b -- "o → x" --> n_c'));
    assert.ok(lines.includes('  n_a -- "o → y" --> n_c'));
    assert.ok(lines.includes("  class n_a cached"));
    assert.ok(lines.some((l) => l.startsWith("  classDef failed fill:")));
  });

  it("renders DOT with labelled nodes and edges, coloured by status", () => {
    const text = buildGraph(seed()).toDot({ b: "done" });
    assert.match(text, /^digraph moirae \{\n/);
    assert.match(text, /"a" \[label="a\\nAdd"\];/);
    assert.match(text, /"b" \[label="b\\nMultiply", fillcolor="#e8f5e9", color="#43a047"\];/);
    assert.match(text, /"b" -> "c" \[label="o → x"\];/);
    assert.match(text, /\}\n$/);
    assert.equal((text.match(/->/g) ?? []).length, 2);
  });

  it("serializes to JSON", () => {
    const json = JSON.parse(JSON.stringify(buildGraph(seed())));
    assert.deepEqual(json.order.length, 3);
    assert.deepEqual(json.nodes.map((n: { name: string; node: string }) => [n.name, n.node]).sort(), [
      ["a", "Add"],
      ["b", "Multiply"],
      ["c", "Add"],
    ]);
    assert.equal(json.edges.length, 2);
  });
});

describe("buildGraph: property-based", () => {
  it("returns a Graph or throws GraphValidationError for any spec, never anything else", () => {
    const nodeNames = ["a", "b", "c", "d"];
    const value = fc.oneof(
      fc.integer(),
      fc.string(),
      fc.constantFrom(...nodeNames.flatMap((n) => [`\${${n}.o}`, `\${${n}.text}`, `\${${n}.q}`])),
      fc.constant(null),
      fc.constant(undefined),
      fc.boolean(),
    );
    const entry = fc.record(
      {
        node: fc.oneof(
          fc.constantFrom("Add", "Multiply", "Stringify", "Length", "Constant", "Nope"),
          fc.integer(),
        ),
        arguments: fc.oneof(
          fc.constant(undefined),
          fc.dictionary(fc.constantFrom("coef", "value", "prefix", "zz"), value),
        ),
        inputs: fc.oneof(fc.dictionary(fc.constantFrom("x", "y", "n", "text", "w"), value), value),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...nodeNames, "1x", "constructor"), entry), (spec) => {
        try {
          const graph = buildGraph(spec as GraphSpec);
          assert.equal(graph.order.length, Object.keys(spec).length);
        } catch (error) {
          if (!(error instanceof GraphValidationError)) throw error;
          assert.ok(error.issues.length > 0);
        }
      }),
      { numRuns: 500 },
    );
  });
});
