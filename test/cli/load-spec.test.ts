import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import fc from "fast-check";
import { findJsonProblem } from "../../src/cli/json-syntax";
import { loadSpec, splitSpecPath } from "../../src/cli/load-spec";
import { UsageError } from "../../src/cli/usage-error";
import { cleanUp, tempDir, writeFile } from "./cli-harness";

after(cleanUp);

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${error}`);
    return error.message;
  }
  return assert.fail("expected a UsageError");
}

describe("loadSpec", () => {
  it("splits spec paths into keys and indexes", () => {
    assert.deepEqual(splitSpecPath("c.inputs.items[0][2].name"), ["c", "inputs", "items", 0, 2, "name"]);
    assert.deepEqual(splitSpecPath("a"), ["a"]);
  });

  it("locates a spec path in a JSON file, falling back to its deepest present part", () => {
    const dir = tempDir();
    const file = writeFile(
      dir,
      "spec.json",
      '{\n  "a": {\n    "node": "AddMul",\n    "inputs": {\n      "x": [1, 2]\n    }\n  }\n}\n',
    );
    const spec = loadSpec(file, dir);
    assert.deepEqual(spec.value, { a: { node: "AddMul", inputs: { x: [1, 2] } } });
    assert.equal(spec.locate("a.node"), `${file}:3:13`);
    assert.equal(spec.locate("a.inputs.x[1]"), `${file}:5:16`);
    assert.equal(spec.locate("a.inputs.y"), `${file}:4:15`, "a missing key points at its parent");
    assert.equal(spec.locate("zz"), undefined);
  });

  it("locates a spec path in YAML", () => {
    const dir = tempDir();
    const spec = loadSpec(writeFile(dir, "s.yaml", "a:\n  node: AddMul\n  inputs:\n    x: ${b.o}\n"), dir);
    assert.deepEqual(spec.value, { a: { node: "AddMul", inputs: { x: "${b.o}" } } });
    assert.match(spec.locate("a.inputs.x")!, /s\.yaml:4:8$/);
  });

  it("says where JSON and YAML stop parsing", () => {
    const dir = tempDir();
    assert.match(
      usageMessage(() => loadSpec(writeFile(dir, "a.json", '{\n  "a": 1\n  "b": 2\n}'), dir)),
      /a\.json:3:3: invalid JSON: /,
    );
    assert.match(
      usageMessage(() => loadSpec(writeFile(dir, "b.json", '{ "a": '), dir)),
      /b\.json:1:8: invalid JSON: /,
    );
    assert.match(
      usageMessage(() => loadSpec(writeFile(dir, "c.yaml", "a: 1\na: 2\n"), dir)),
      /c\.yaml:2:1: invalid YAML: Map keys must be unique/,
    );
  });

  it("refuses a JSON spec that names a node twice, at line:column (JSON.parse would keep the last)", () => {
    const dir = tempDir();
    const text =
      '{\n  "a": { "node": "AddMul", "inputs": { "x": 1, "y": 2 } },\n  "a": { "node": "Multiply" }\n}\n';
    assert.match(
      usageMessage(() => loadSpec(writeFile(dir, "twice.json", text), dir)),
      /twice\.json:3:3: invalid JSON: duplicate key "a" \(first at line 2, column 3\); give each key once/,
    );
    assert.match(
      usageMessage(() =>
        loadSpec(writeFile(dir, "deep.json", '{"a": {"inputs": {"x": 1, "\\u0078": 2}}}'), dir),
      ),
      /deep\.json:1:27: invalid JSON: duplicate key "x"/,
    );
  });

  it("accepts a UTF-8 byte order mark, and every JSON error says line:column", () => {
    const dir = tempDir();
    const bom = writeFile(
      dir,
      "bom.json",
      '\uFEFF{ "a": { "node": "AddMul", "inputs": { "x": 1, "y": 2 } } }\n',
    );
    assert.deepEqual(loadSpec(bom, dir).value, { a: { node: "AddMul", inputs: { x: 1, y: 2 } } });
    const yaml = writeFile(dir, "bom.yaml", "\uFEFFa: { node: AddMul }\n");
    assert.deepEqual(loadSpec(yaml, dir).value, { a: { node: "AddMul" } });
    const cases: [string, RegExp][] = [
      ['\uFEFF{\n  "a": x\n}', /:2:8: invalid JSON: expected a value, found "x"/],
      ['{"a": tru}', /:1:7: invalid JSON: expected a value, found "t"/],
      ["abc", /:1:1: invalid JSON: expected a value/],
      ['{"a": 1,}', /:1:9: invalid JSON: expected a double-quoted property name/],
      ['{"a": "x\ny"}', /:1:9: invalid JSON: control character/],
      ["{} x", /:1:4: invalid JSON: unexpected "x" after the JSON value/],
      ["", /:1:1: invalid JSON: expected a value, found the end of the text/],
    ];
    for (const [text, message] of cases) {
      assert.match(
        usageMessage(() => loadSpec(writeFile(dir, "bad.json", text), dir)),
        message,
        text,
      );
    }
  });

  it("property: the JSON check agrees with JSON.parse on any text, and accepts all it writes", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), (value, indent) => {
        assert.equal(findJsonProblem(JSON.stringify(value, null, indent ? 2 : undefined)), undefined);
      }),
      { numRuns: 300 },
    );
    const pieces = fc.constantFrom(
      "{",
      "}",
      "[",
      "]",
      ",",
      ":",
      '"a"',
      '"b"',
      "1",
      "-0.5e3",
      "true",
      "null",
      " ",
      "\n",
      "x",
      '"\\u00',
      "01",
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 12 }), (parts) => {
        const text = parts.join("");
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        const problem = findJsonProblem(text);
        if (valid)
          assert.ok(problem === undefined || problem.firstAt !== undefined, `${text}: ${problem?.reason}`);
        else assert.ok(problem !== undefined && problem.firstAt === undefined, text);
      }),
      { numRuns: 3000 },
    );
  });

  it("a missing file and a directory are usage errors", () => {
    const dir = tempDir();
    assert.match(
      usageMessage(() => loadSpec("nope.yaml", dir)),
      /^spec file not found: nope\.yaml \(resolved to /,
    );
    assert.match(
      usageMessage(() => loadSpec(".", dir)),
      /^spec \. is a directory/,
    );
  });
});
