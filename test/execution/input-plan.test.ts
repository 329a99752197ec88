import "reflect-metadata";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Max, Min, ValidateIf } from "class-validator";
import fc from "fast-check";
import { assembleInput, type InputPlan, inputLayout, planInput } from "../../src/execution/input-plan";
import { Input, Output } from "../../src/index";
import { checkData } from "../../src/validation/validate-data";

@Output()
class AnyNumber {
  @IsNumber({ allowNaN: true, allowInfinity: true }) o!: number;
}

@Output()
class Bounded {
  @IsNumber() @Min(0) @Max(10) o!: number;
  @IsString() s!: string;
}

@Input()
class SameAsAnyNumber {
  @IsNumber({ allowNaN: true, allowInfinity: true }) x!: number;
  @IsInt() y!: number;
}

@Input()
class Stricter {
  @IsNumber() @Min(0) x!: number;
  @IsInt() @Max(100) y!: number;
}

@Input()
class LooserThanBounded {
  @IsNumber() @Min(0) x!: number;
  @IsOptional() @IsIn(["a", "b"]) s?: string;
}

@Input()
class CrossField {
  @IsNumber({ allowNaN: true, allowInfinity: true }) x!: number;
  @ValidateIf((o: CrossField) => o.x > 0) @IsInt() y!: number;
}

const plan = (
  cls: new () => object,
  outputClass: new () => object,
  literals: Record<string, unknown>,
  refs: [string, string][],
) =>
  planInput(
    "n",
    cls,
    literals,
    refs.map(([field, outputField]) => ({ field, parent: 0, outputClass, outputField })),
  );

/**
 * assembleInput's verdict and value, next to checkData's on the same plain object — twice: the first assembly
 * goes through checkData, the second takes the fast path when the plan allows it.
 */
function compare(p: InputPlan, output: Record<string, unknown>, plain: Record<string, unknown>): void {
  compareOnce(p, output, plain);
  compareOnce(p, output, plain);
}

function compareOnce(p: InputPlan, output: Record<string, unknown>, plain: Record<string, unknown>): void {
  const expected = checkData(p.layout.cls, plain);
  let actual: object | undefined;
  let error: unknown;
  try {
    actual = assembleInput(p, [output]);
  } catch (e) {
    error = e;
  }
  assert.equal(error === undefined, expected.ok, `${JSON.stringify(plain)}: ${error}`);
  if (expected.ok) {
    assert.ok(actual instanceof p.layout.cls);
    assert.deepEqual({ ...actual }, { ...expected.value });
  }
}

const primitive = fc.oneof(
  fc.double(),
  fc.integer({ min: -5, max: 200 }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0),
  fc.string({ maxLength: 3 }),
  fc.boolean(),
);

describe("input assembly fast path", () => {
  it("applies when the referenced field passed the same constraints, once checkData accepted the literals", () => {
    const p = plan(SameAsAnyNumber, AnyNumber, { y: 3 }, [["x", "o"]]);
    assert.equal(p.layout.eligible, true);
    assert.equal(p.literalsAccepted, false);
    assembleInput(p, [{ o: 1 }]);
    assert.equal(p.literalsAccepted, true);
    assert.equal(plan(LooserThanBounded, Bounded, {}, [["x", "o"]]).layout.eligible, true);
  });

  it("does not apply when the input field has a constraint the output field lacks", () => {
    assert.equal(plan(Stricter, AnyNumber, { y: 3 }, [["x", "o"]]).layout.eligible, false);
  });

  it("does not apply for a cross-field rule or a type mismatch", () => {
    assert.equal(plan(CrossField, AnyNumber, { y: 1 }, [["x", "o"]]).layout.eligible, false);
    assert.equal(plan(LooserThanBounded, Bounded, { x: 1 }, [["s", "s"]]).layout.eligible, false);
  });

  it("never applies while the literals are invalid", () => {
    const p = plan(SameAsAnyNumber, AnyNumber, { y: 1.5 }, [["x", "o"]]);
    for (let k = 0; k < 2; k++) assert.throws(() => assembleInput(p, [{ o: 1 }]), /y must be an integer/);
    assert.equal(p.literalsAccepted, false);
  });

  for (const [label, cls, out] of [
    ["same constraints", SameAsAnyNumber, AnyNumber],
    ["stricter input", Stricter, AnyNumber],
    ["cross-field rule", CrossField, AnyNumber],
  ] as const) {
    it(`accepts and rejects exactly what checkData does (${label})`, () => {
      fc.assert(
        fc.property(primitive, primitive, (value, literal) => {
          const validLiteral = checkData(cls, { x: 1, y: literal }).ok;
          fc.pre(validLiteral); // the builder rejects literals of the wrong type; a literal the class rejects fails at run
          const p = plan(cls, out, { y: literal }, [["x", "o"]]);
          // the referenced value comes from an output that passed its class
          fc.pre(checkData(out, { o: value }).ok);
          compare(p, { o: value }, { x: value, y: literal });
        }),
        { numRuns: 300 },
      );
    });
  }

  const shared: [string, new () => object, new () => object, string, unknown, Record<string, unknown>][] = [
    ["same constraints", SameAsAnyNumber, AnyNumber, "y", 3, {}],
    ["stricter input", Stricter, AnyNumber, "y", 3, {}],
    ["cross-field rule", CrossField, AnyNumber, "y", 3, {}],
    ["optional field", LooserThanBounded, Bounded, "s", "a", { s: "" }],
  ];
  for (const [label, cls, out, literalField, accepted, rest] of shared) {
    it(`checks each literal on its own once another node of its layout passed (${label})`, () => {
      const source = [{ field: "x", parent: 0, outputClass: out, outputField: "o" }];
      fc.assert(
        fc.property(primitive, primitive, (value, literal) => {
          const output = { o: value, ...rest };
          fc.pre(checkData(out, output).ok && checkData(cls, { [literalField]: accepted, x: value }).ok);
          const layout = inputLayout(cls, [literalField], source);
          // another node of the layout goes first, through checkData; then this node's literal is checked alone
          assembleInput(planInput("m", cls, { [literalField]: accepted }, source, layout), [output]);
          assert.equal(layout.accepted, layout.eligible);
          const p = planInput("n", cls, { [literalField]: literal }, source, layout);
          compare(p, output, { [literalField]: literal, x: value });
        }),
        { numRuns: 300 },
      );
    });
  }

  it("rejects a literal that violates the input's constraints, as checkData does", () => {
    const p = plan(Stricter, AnyNumber, { y: 1000 }, [["x", "o"]]);
    compare(p, { o: 1 }, { x: 1, y: 1000 });
    assert.throws(() => assembleInput(p, [{ o: 1 }]), /Node "n" input does not match Stricter/);
  });

  it("falls back to checkData when a referenced value is not a primitive", () => {
    const p = plan(SameAsAnyNumber, AnyNumber, { y: 1 }, [["x", "o"]]);
    assembleInput(p, [{ o: 1 }]);
    assert.equal(p.literalsAccepted, true);
    compare(p, { o: { not: "a number" } }, { x: { not: "a number" }, y: 1 });
  });

  it("gives every call a new instance", () => {
    const p = plan(SameAsAnyNumber, AnyNumber, { y: 1 }, [["x", "o"]]);
    assembleInput(p, [{ o: 2 }]);
    const a = assembleInput(p, [{ o: 2 }]);
    const b = assembleInput(p, [{ o: 2 }]);
    assert.notEqual(a, b);
    assert.deepEqual({ ...a }, { ...b });
  });
});
