import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
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
