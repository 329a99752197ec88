import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { IsInt, IsNumber, IsOptional, IsString } from "class-validator";
import {
  describeNode,
  Input,
  NODES,
  Node,
  NodeDefinitionError,
  Output,
  resetNodeRegistry,
} from "../../src/index";
import { O, XY } from "../fixtures/data-classes";

class NotData {
  @IsNumber() x!: number;
}

function define(options: Record<string, unknown>, withExecute = true): Function {
  class Anonymous {}
  Object.defineProperty(Anonymous, "name", { value: "Defined" });
  if (withExecute) (Anonymous.prototype as any).execute = async () => ({ o: 1 });
  Node(options as never)(Anonymous);
  return Anonymous;
}

describe("@Node", () => {
  beforeEach(() => resetNodeRegistry());

  it("registers the class in NODES under its class name", () => {
    @Node({ input: XY, output: O })
    class AddMul {
      @IsInt() coef = 1;
      async execute(input: XY) {
        return { o: this.coef * (input.x + input.y) };
      }
    }
    assert.equal(NODES.get("AddMul"), AddMul);
    assert.deepEqual([...NODES.keys()], ["AddMul"]);
    assert.equal(NODES.size, 1);
  });

  it("registers under an explicit name", () => {
    @Node({ input: XY, output: O, name: "add-mul", version: 2 })
    class AddMul {
      async execute() {
        return { o: 1 };
      }
    }
    assert.equal(NODES.get("add-mul"), AddMul);
    assert.equal(NODES.has("AddMul"), false);
    assert.equal(describeNode(AddMul).version, 2);
  });

  it("NODES cannot be modified", () => {
    assert.equal(typeof (NODES as any).set, "undefined");
    assert.equal(typeof (NODES as any).delete, "undefined");
    assert.throws(() => {
      (NODES as any).extra = 1;
    }, TypeError);
  });

  it("rejects a missing input or output, naming what to add", () => {
    const error = assert.throws(() => define({ output: O }), NodeDefinitionError) as unknown;
    assert.throws(() => define({ output: O }), /no "input": give the @Input\(\) class/);
    assert.throws(() => define({ input: XY }), /no "output": give the @Output\(\) class/);
    void error;
  });

  it("rejects input/output classes without @Input/@Output", () => {
    assert.throws(
      () => define({ input: NotData, output: O }),
      /"input" must be a class decorated with @Input\(\), but NotData is not/,
    );
    assert.throws(
      () => define({ input: XY, output: XY }),
      /"output" must be a class decorated with @Output\(\)/,
    );
    assert.throws(
      () => define({ input: XY, output: "O" }),
      /"output" must be a class decorated with @Output\(\), but "O" is not/,
    );
  });

  it("rejects a class without execute", () => {
    assert.throws(() => define({ input: XY, output: O }, false), /has no execute\(input, ctx\) method/);
  });

  it("reports every problem at once", () => {
    try {
      define({ input: NotData }, false);
      assert.fail("expected a NodeDefinitionError");
    } catch (error) {
      assert.ok(error instanceof NodeDefinitionError);
      assert.equal(error.problems.length, 3);
      assert.equal(error.className, "Defined");
    }
  });

  it("rejects a duplicate name, naming both classes and suggesting name:", () => {
    @Node({ input: XY, output: O, name: "Shared" })
    class First {
      async execute() {
        return { o: 1 };
      }
    }
    let error: unknown;
    try {
      @Node({ input: XY, output: O, name: "Shared" })
      class Second {
        async execute() {
          return { o: 2 };
        }
      }
      void Second;
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof NodeDefinitionError);
    assert.match(error.message, /Second/);
    assert.match(error.message, /already registered by class First/);
    assert.match(error.message, /@Node\(\{ name: "Shared2"/);
    assert.equal(NODES.get("Shared"), First);
  });

  it("a failed definition does not reserve the name: the corrected class can take it", () => {
    assert.throws(() => define({ input: XY, output: O, name: "Fixable" }, false), NodeDefinitionError);
    assert.equal(NODES.has("Fixable"), false);
    const fixed = define({ input: XY, output: O, name: "Fixable" });
    assert.equal(NODES.get("Fixable"), fixed);
  });

  it("rejects invalid timeoutMs, retries and version", () => {
    assert.throws(
      () => define({ input: XY, output: O, timeoutMs: -1 }),
      /timeoutMs must be a positive number/,
    );
    assert.throws(() => define({ input: XY, output: O, retries: 1.5 }), /retries must be a whole number/);
    assert.throws(() => define({ input: XY, output: O, retries: { attempts: -1 } }), /retries.attempts/);
    assert.throws(
      () => define({ input: XY, output: O, version: {} }),
      /version must be a string or a number/,
    );
  });

  it("rejects a field whose type cannot be reflected (compiled without decorator metadata)", () => {
    class NoMeta {}
    IsNumber()(NoMeta.prototype, "x"); // as esbuild/tsx would emit it: no design:type
    assert.throws(
      () => Input()(NoMeta),
      /type of input field "x" cannot be reflected.*emitDecoratorMetadata/s,
    );
    class NodeNoMeta {
      async execute() {
        return { o: 1 };
      }
    }
    IsNumber()(NodeNoMeta.prototype, "coef");
    assert.throws(
      () => Node({ input: XY, output: O })(NodeNoMeta),
      /type of argument field "coef" cannot be reflected/,
    );
    assert.equal(NODES.has("NodeNoMeta"), false);
  });
});

describe("@Input / @Output", () => {
  it("rejects a declared field without a class-validator decorator", () => {
    class Undecorated {
      @IsNumber() x!: number;
      note?: string = undefined;
    }
    assert.throws(
      () => Output()(Undecorated),
      /output field "note" has no class-validator decorator.*@Allow\(\)/s,
    );
  });

  it("rejects a data class whose constructor needs arguments", () => {
    class NeedsArgs {
      @IsNumber() x: number;
      constructor(x: { value: number }) {
        this.x = x.value;
      }
    }
    assert.throws(() => Input()(NeedsArgs), /constructed without arguments/);
  });
});

describe("describeNode", () => {
  beforeEach(() => resetNodeRegistry());

  it("lists input, output and argument fields with types and optionality", () => {
    @Node({ input: XY, output: O, name: "Described", version: "v1" })
    class Described {
      @IsInt() coef = 1;
      @IsOptional() @IsString() label?: string;
      constructor() {}
      async execute() {
        return { o: 1 };
      }
    }
    const d = describeNode(Described);
    assert.equal(d.name, "Described");
    assert.equal(d.version, "v1");
    assert.deepEqual(d.input, [
      { name: "x", type: "Number", optional: false },
      { name: "y", type: "Number", optional: false },
    ]);
    assert.deepEqual(d.output, [{ name: "o", type: "Number", optional: false }]);
    assert.deepEqual(d.arguments, [
      { name: "coef", type: "Number", optional: false },
      { name: "label", type: "String", optional: true },
    ]);
  });

  it("rejects a class that is not a node", () => {
    assert.throws(() => describeNode(NotData), /not a registered node class/);
  });
});
