import "reflect-metadata";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Exclude, Expose, plainToInstance, Transform, Type } from "class-transformer";
import {
  Allow,
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsDefined,
  IsEmail,
  IsEnum,
  IsIn,
  IsInt,
  IsNegative,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsPositive,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  Validate,
  ValidateIf,
  ValidateNested,
  ValidatePromise,
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
  validateSync,
} from "class-validator";
import fc from "fast-check";
import { compileValidator } from "../../src/validation/compiled-validator";
import { checkData } from "../../src/validation/validate-data";

// ---------------------------------------------------------------------------------------------------------------
// The slow path, the oracle every compiled result is checked against
// ---------------------------------------------------------------------------------------------------------------

type Ctor<T extends object = object> = new (...args: any[]) => T;
type SlowResult =
  | { kind: "accepted"; instance: object }
  | { kind: "rejected" }
  | { kind: "threw"; error: unknown };

const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };

/**
 * Array holes read as `undefined`, at any depth of arrays and plain objects: moirae does this before
 * class-transformer runs (which would drop holes and shift what follows), so the hash and the node agree.
 */
function densify(value: unknown): unknown {
  if (Array.isArray(value)) return Array.from({ length: value.length }, (_, i) => densify(value[i]));
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      Object.defineProperty(out, key, {
        value: densify((value as Record<string, unknown>)[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

/**
 * `plainToInstance` + `validateSync` on the value with holes read as `undefined`; with `spread`, a non-plain
 * object is first spread into its own fields.
 */
function slowPath(cls: Ctor, value: unknown, spread: boolean): SlowResult {
  try {
    const plain =
      spread &&
      typeof value === "object" &&
      value !== null &&
      Object.getPrototypeOf(value) !== Object.prototype
        ? { ...value }
        : value;
    const instance = plainToInstance(cls, densify(plain), {}) as object;
    const errors = validateSync(instance, OPTIONS);
    return errors.length === 0 ? { kind: "accepted", instance } : { kind: "rejected" };
  } catch (error) {
    return { kind: "threw", error };
  }
}

/**
 * The safety property: when the compiled function returns an instance, every form of the slow path (direct,
 * spread-first, and moirae's own `checkData`) accepts the value and builds an equivalent instance.
 * Returns whether the fast path accepted.
 */
function assertSafe(cls: Ctor, compiled: (value: unknown) => object | undefined, value: unknown): boolean {
  const fast = compiled(value);
  if (fast === undefined) return false;
  for (const spread of [false, true]) {
    const slow = slowPath(cls, value, spread);
    assert.equal(
      slow.kind,
      "accepted",
      `fast path accepted a value the slow path ${slow.kind} (spread: ${spread})`,
    );
    assertEquivalent(fast, (slow as { instance: object }).instance);
  }
  const checked = checkData(cls, value);
  assert.ok(checked.ok, "fast path accepted a value checkData rejects");
  assertEquivalent(fast, checked.value);
  assertSharesNoObjectWith(fast, value);
  return true;
}

/** Same prototypes, same own enumerable keys in the same order, same values (Dates by time), recursively. */
function assertEquivalent(fast: unknown, slow: unknown, path = "$"): void {
  compareStructure(fast, slow, path);
  if (!containsInvalidDate(fast)) assert.deepStrictEqual(fast, slow);
}

function compareStructure(a: unknown, b: unknown, path: string): void {
  if (typeof a !== "object" || a === null) {
    assert.ok(Object.is(a, b), `${path}: ${String(a)} vs ${String(b)}`);
    return;
  }
  assert.ok(typeof b === "object" && b !== null, `${path}: object vs ${String(b)}`);
  assert.equal(Object.getPrototypeOf(a), Object.getPrototypeOf(b), `${path}: different prototypes`);
  if (a instanceof Date) {
    assert.ok(Object.is(a.getTime(), (b as Date).getTime()), `${path}: different times`);
    return;
  }
  const keys = Object.keys(a);
  assert.deepEqual(keys, Object.keys(b), `${path}: different own keys`);
  for (const key of keys) {
    compareStructure(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      `${path}.${key}`,
    );
  }
}

function containsInvalidDate(value: unknown, seen = new Set<unknown>()): boolean {
  if (typeof value !== "object" || value === null || seen.has(value)) return false;
  seen.add(value);
  if (value instanceof Date) return Number.isNaN(value.getTime());
  return Object.values(value).some((v) => containsInvalidDate(v, seen));
}

/** The result is a copy: no object of the input is reachable from it (class-transformer copies too). */
function assertSharesNoObjectWith(result: unknown, input: unknown): void {
  const inputs = new Set<unknown>();
  const collect = (v: unknown): void => {
    if (typeof v !== "object" || v === null || inputs.has(v)) return;
    inputs.add(v);
    for (const key of Object.keys(v)) collect((v as Record<string, unknown>)[key]);
  };
  collect(input);
  const visit = (v: unknown, path: string): void => {
    if (typeof v !== "object" || v === null) return;
    assert.ok(!inputs.has(v), `${path} is an object of the input`);
    for (const key of Object.keys(v)) visit((v as Record<string, unknown>)[key], `${path}.${key}`);
  };
  visit(result, "$");
}

function compile<T extends object>(cls: Ctor<T>): (value: unknown) => T | undefined {
  const compiled = compileValidator(cls);
  assert.ok(compiled, `${cls.name} should compile`);
  return compiled;
}

// ---------------------------------------------------------------------------------------------------------------
// Value generators
// ---------------------------------------------------------------------------------------------------------------

const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const safeKey = fc.string({ maxLength: 6 }).filter((k) => !(k in Object.prototype));
/** JSON-like values class-transformer copies faithfully (keys that are not Object.prototype members). */
const { json: safeJson } = fc.letrec((tie) => ({
  json: fc.oneof(
    { depthSize: "small" },
    fc.double(),
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("json"), { maxLength: 3 }),
    fc.dictionary(safeKey, tie("json"), { maxKeys: 3 }),
  ),
}));
const safeObject = fc.dictionary(safeKey, safeJson, { maxKeys: 4 });
const dateInput = fc.oneof(
  fc.date({ noInvalidDate: true }),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.integer({ min: -8.64e15, max: 8.64e15 }),
);

/** Values that are wrong, almost right, or exotic for some field. */
const TRICKY: readonly unknown[] = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  0,
  1,
  -1,
  2.5,
  0.125,
  1e21,
  "",
  "1",
  "x",
  "abcdef",
  "2020-01-01",
  "2020-01-01T10:00:00.000Z",
  "not a date",
  "RED",
  "red",
  "Low",
  "a",
  true,
  false,
  null,
  undefined,
  0n,
  [],
  [1],
  [undefined],
  ["a"],
  [[]],
  {},
  { x: 1, y: 2 },
  { x: "1", y: 2 },
  { x: 1, y: 2, z: 3 },
  Object.assign(Object.create(null), { x: 1, y: 2 }),
  new Date(0),
  new Date(Number.NaN),
  new String("s"),
  new Number(1),
  new Boolean(false),
  () => 1,
  Symbol("s"),
  new Map([["x", 1]]),
  new Set([1]),
  // biome-ignore lint/suspicious/noThenProperty: a thenable is a case
  { then: () => undefined },
  { toString: 1 },
  { constructor: 1 },
  JSON.parse('{"__proto__": {"x": 1}}'),
  // biome-ignore lint/suspicious/noSparseArray: a hole is a case
  [1, , 2],
];
const tricky = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...TRICKY) },
  { weight: 1, arbitrary: fc.anything({ withDate: true, withBoxedValues: true, withNullPrototype: true }) },
  { weight: 1, arbitrary: fc.oneof(fc.double(), fc.integer(), fc.string()) },
);

const EXTRA_KEYS = ["z", "__proto__", "constructor", "toString", "hasOwnProperty", "0"];

type Mutation = { op: "set"; key: string; value: unknown } | { op: "delete"; key: string };

class Foreign {
  describe(): string {
    return "another class with the same fields";
  }
}

/** Re-homes `value`'s own fields: plain object, prototype-less object, or an instance of another class. */
function rehome(value: object, container: "plain" | "null" | "foreign"): object {
  const target: object =
    container === "plain" ? {} : container === "null" ? Object.create(null) : new Foreign();
  for (const key of Object.keys(value)) {
    Object.defineProperty(target, key, {
      value: (value as Record<string, unknown>)[key],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return target;
}

const container = fc.constantFrom("plain", "null", "foreign") as fc.Arbitrary<"plain" | "null" | "foreign">;

function validValues(record: fc.Arbitrary<object>): fc.Arbitrary<object> {
  return fc.tuple(record, container).map(([v, c]) => rehome(v, c));
}

/** Valid values with 1–3 fields replaced (by `fieldValues`), deleted, or added. */
function nearMisses(
  record: fc.Arbitrary<object>,
  keys: readonly string[],
  fieldValues: fc.Arbitrary<unknown> = tricky,
): fc.Arbitrary<object> {
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({
      op: fc.constant("set" as const),
      key: fc.constantFrom(...keys, ...EXTRA_KEYS),
      value: fieldValues,
    }),
    fc.record({ op: fc.constant("delete" as const), key: fc.constantFrom(...keys) }),
  );
  return fc.tuple(record, fc.array(mutation, { minLength: 1, maxLength: 3 }), container).map(([v, ms, c]) => {
    const copy = rehome(v, "plain") as Record<string, unknown>;
    for (const m of ms) {
      if (m.op === "delete") delete copy[m.key];
      else
        Object.defineProperty(copy, m.key, {
          value: m.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    return rehome(copy, c);
  });
}

interface Case {
  readonly cls: Ctor;
  readonly valid: fc.Arbitrary<object>;
  readonly nearMiss: fc.Arbitrary<object>;
}

/** Valid values must be accepted by both paths; near misses must be safe; and both kinds must occur. */
function checkCase({ cls, valid, nearMiss }: Case): void {
  const compiled = compile(cls);
  fc.assert(
    fc.property(valid, (value) => {
      assert.equal(slowPath(cls, value, true).kind, "accepted", "generator produced an invalid value");
      assert.ok(assertSafe(cls, compiled, value), "the fast path bailed on a valid value");
    }),
    { numRuns: 200 },
  );
  let accepted = 0;
  let bailed = 0;
  fc.assert(
    fc.property(nearMiss, (value) => {
      if (assertSafe(cls, compiled, value)) accepted++;
      else bailed++;
    }),
    { numRuns: 400 },
  );
  assert.ok(bailed > 0, "near misses should include rejected values");
  assert.ok(accepted + bailed === 400);
}

// ---------------------------------------------------------------------------------------------------------------
// Data classes covering every supported decorator
// ---------------------------------------------------------------------------------------------------------------

class AddInput {
  @IsNumber() x!: number;
  @IsNumber() y!: number;
}

class Numbers {
  @IsNumber() plain!: number;
  @IsNumber({ allowNaN: true }) nan!: number;
  @IsNumber({ allowInfinity: true }) inf!: number;
  @IsNumber({ maxDecimalPlaces: 2 }) money!: number;
  @IsInt() @Min(-5) @Max(5) small!: number;
  @IsPositive() pos!: number;
  @IsNegative() neg!: number;
}

enum Color {
  Red = "RED",
  Green = "GREEN",
}

enum Level {
  Low = 0,
  High = 1,
}

class Texts {
  @IsString() @MinLength(2) @MaxLength(5) code!: string;
  @IsNotEmpty() required!: unknown;
  @IsIn(["a", "b", 3]) choice!: string | number;
  @IsEnum(Color) color!: Color;
  @IsEnum(Level) level!: Level;
  @IsBoolean() flag!: boolean;
}

class Optionals {
  @IsOptional() @IsNumber() maybe?: number | null;
  @IsDefined() defined!: unknown;
  @IsOptional() @IsString() named: string | null | undefined = "anon";
  @Allow() anything?: unknown;
  @IsObject() meta!: object;
  @IsOptional() @IsDefined() odd?: unknown;
}

class Arrays {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(3) @IsNumber({}, { each: true }) nums!: number[];
  @IsString({ each: true }) tags!: string[] | string;
  @IsArray() @IsInt({ each: true }) @Min(0, { each: true }) counts!: number[];
  @IsOptional() @IsArray() @IsBoolean({ each: true }) flags?: boolean[] | null;
}

class Point {
  @IsNumber() x!: number;
  @IsNumber() y!: number;
}

class Shape {
  @ValidateNested() @Type(() => Point) origin!: Point;
  @IsArray() @ValidateNested({ each: true }) @Type(() => Point) points!: Point[];
  @IsOptional() @ValidateNested() @Type(() => Point) anchor?: Point | null;
  @IsString() name!: string;
}

class Grid {
  @IsArray() @ValidateNested({ each: true }) @Type(() => Point) rows!: Point[][];
}

class Schedule {
  @Type(() => Date) @IsDate() at!: Date;
  @IsOptional() @Type(() => Date) @IsDate() until?: Date | null;
  @IsArray() @Type(() => Date) @IsDate({ each: true }) dates!: Date[];
  @IsDate() raw!: Date;
}

class Base {
  @IsNumber() a!: number;
  @IsString() b!: string;
}

class Derived extends Base {
  // class-validator drops the inherited @IsNumber: a subclass validator of the same kind replaces them all.
  @Min(0) override a = 0;
  @IsBoolean() c!: boolean;
}

class TreeNode {
  @IsString() label!: string;
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => TreeNode) children?: TreeNode[] | null;
}

class WithDefaults {
  @IsInt() count = 5;
  @IsString() label = "x";
  @IsOptional() @ValidateNested() @Type(() => Point) origin: Point | null | undefined = Object.assign(
    new Point(),
    {
      x: 0,
      y: 0,
    },
  );
}

class LooseNested {
  @ValidateNested() inner?: unknown;
}

const formatMoney = (n: number): string => n.toFixed(2);

class FunctionDefault {
  @IsNumber() x!: number;
  @Allow() format: unknown = formatMoney;
}

const point = fc.record({ x: finite, y: finite });
const pointNearMiss = nearMisses(point, ["x", "y"]);
const pointOrMiss = fc.oneof(point, pointNearMiss, tricky);
const { tree } = fc.letrec((tie) => ({
  tree: fc.record(
    {
      label: fc.string(),
      children: fc.oneof(
        { depthSize: "small" },
        fc.constant(undefined),
        fc.constant(null),
        fc.array(tie("tree"), { maxLength: 3 }),
      ),
    },
    { requiredKeys: ["label"] },
  ),
}));

const CASES: Record<string, Case> = {};
function addCase(
  name: string,
  cls: Ctor,
  record: fc.Arbitrary<object>,
  fieldValues?: fc.Arbitrary<unknown>,
): void {
  const keys = Object.keys(new cls());
  CASES[name] = { cls, valid: validValues(record), nearMiss: nearMisses(record, keys, fieldValues) };
}

addCase("AddInput: @IsNumber", AddInput, fc.record({ x: finite, y: finite }));
addCase(
  "Numbers: allowNaN, allowInfinity, maxDecimalPlaces, IsInt, Min, Max, IsPositive, IsNegative",
  Numbers,
  fc.record({
    plain: finite,
    nan: fc.oneof(finite, fc.constant(Number.NaN)),
    inf: fc.oneof(finite, fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY)),
    money: fc.integer({ min: -1e6, max: 1e6 }).map((n) => n / 100),
    small: fc.integer({ min: -5, max: 5 }),
    pos: fc.double({ min: Number.MIN_VALUE, max: 1e300, noNaN: true }),
    neg: fc.double({ min: -1e300, max: -Number.MIN_VALUE, noNaN: true }),
  }),
  fc.oneof(tricky, fc.double(), fc.double({ min: -10, max: 10 })),
);
addCase(
  "Texts: IsString, MinLength, MaxLength, IsNotEmpty, IsIn, IsEnum, IsBoolean",
  Texts,
  fc.record({
    code: fc.string({ minLength: 2, maxLength: 5 }),
    required: fc.oneof(fc.string({ minLength: 1 }), fc.integer(), fc.boolean()),
    choice: fc.constantFrom("a", "b", 3),
    color: fc.constantFrom(Color.Red, Color.Green),
    // IsEnum also accepts the reverse-mapping names of a numeric enum
    level: fc.constantFrom(Level.Low, Level.High, "Low", "High"),
    flag: fc.boolean(),
  }),
  fc.oneof(tricky, fc.string({ maxLength: 7 }), fc.constantFrom("GREEN", "High", 2, "3", 3)),
);
addCase(
  "Optionals: IsOptional, IsDefined, defaults, Allow, IsObject",
  Optionals,
  fc.record(
    {
      maybe: fc.oneof(fc.constant(undefined), fc.constant(null), finite),
      defined: safeJson.filter((v) => v !== null),
      named: fc.oneof(fc.constant(undefined), fc.constant(null), fc.string()),
      anything: fc.oneof(fc.constant(undefined), safeJson),
      meta: safeObject,
      odd: fc.oneof(fc.constant(undefined), fc.constant(null), safeJson),
    },
    { requiredKeys: ["defined", "meta"] },
  ),
);
addCase(
  "Arrays: IsArray, ArrayMinSize, ArrayMaxSize, each",
  Arrays,
  fc.record(
    {
      nums: fc.array(finite, { minLength: 1, maxLength: 3 }),
      tags: fc.oneof(fc.array(fc.string(), { maxLength: 3 }), fc.string()),
      counts: fc.array(fc.nat(), { maxLength: 4 }),
      flags: fc.oneof(fc.constant(undefined), fc.constant(null), fc.array(fc.boolean(), { maxLength: 3 })),
    },
    { requiredKeys: ["nums", "tags", "counts"] },
  ),
  fc.oneof(
    tricky,
    fc.array(fc.oneof(finite, fc.string(), fc.boolean(), fc.constantFrom(...TRICKY)), { maxLength: 5 }),
  ),
);
addCase("Point", Point, point);
addCase(
  "Shape: ValidateNested + @Type, arrays of nested, optional nested",
  Shape,
  fc.record(
    {
      origin: point,
      points: fc.array(point, { maxLength: 4 }),
      anchor: fc.oneof(fc.constant(undefined), fc.constant(null), point),
      name: fc.string(),
    },
    { requiredKeys: ["origin", "points", "name"] },
  ),
  fc.oneof(pointOrMiss, fc.array(pointOrMiss, { maxLength: 3 })),
);
addCase(
  "Grid: arrays of arrays of nested",
  Grid,
  fc.record({ rows: fc.array(fc.array(point, { maxLength: 3 }), { maxLength: 3 }) }),
  fc.oneof(
    fc.array(fc.array(pointOrMiss, { maxLength: 2 }), { maxLength: 2 }),
    fc.array(pointOrMiss, { maxLength: 2 }),
    tricky,
  ),
);
addCase(
  "Schedule: Dates from Date objects, ISO strings and timestamps",
  Schedule,
  fc.record(
    {
      at: dateInput,
      until: fc.oneof(fc.constant(undefined), fc.constant(null), dateInput),
      dates: fc.array(dateInput, { maxLength: 3 }),
      raw: fc.date({ noInvalidDate: true }),
    },
    { requiredKeys: ["at", "dates", "raw"] },
  ),
  fc.oneof(tricky, dateInput, fc.array(fc.oneof(dateInput, tricky), { maxLength: 3 }), fc.string()),
);
addCase(
  "Derived: inherited metadata, overridden property",
  Derived,
  fc.record({ a: fc.double({ min: 0, noNaN: true }), b: fc.string(), c: fc.boolean() }),
);
addCase(
  "TreeNode: recursive nested class",
  TreeNode,
  tree,
  fc.oneof(tricky, tree, fc.array(tree, { maxLength: 2 })),
);
addCase(
  "WithDefaults: property initializers",
  WithDefaults,
  fc.record(
    {
      count: fc.integer(),
      label: fc.string(),
      origin: fc.oneof(fc.constant(null), fc.constant(undefined), point),
    },
    { requiredKeys: [] },
  ),
  fc.oneof(tricky, pointOrMiss),
);
addCase(
  "LooseNested: @ValidateNested without @Type",
  LooseNested,
  fc.record({ inner: fc.constantFrom(undefined, [], [undefined], [[undefined]]) }, { requiredKeys: [] }),
);
addCase(
  "FunctionDefault: class-transformer skips keys whose default is a function",
  FunctionDefault,
  fc.record({ x: finite }),
);

// ---------------------------------------------------------------------------------------------------------------
// Classes using what the compiler does not model
// ---------------------------------------------------------------------------------------------------------------

@ValidatorConstraint({ name: "isEven" })
class IsEvenConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === "number" && value % 2 === 0;
  }
}

@ValidatorConstraint({ name: "matches" })
class MatchesConstraint implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    return value === (args.object as Record<string, unknown>)[args.constraints[0] as string];
  }
}

@ValidatorConstraint({ name: "slowCheck", async: true })
class AsyncConstraint implements ValidatorConstraintInterface {
  async validate(): Promise<boolean> {
    return true;
  }
}

class Signup {
  @Validate(IsEvenConstraint) even!: number;
  @IsString() password!: string;
  @Validate(MatchesConstraint, ["password"]) confirm!: string;
  @IsOptional() @IsEmail() email?: string;
  // without groups in the validator options, grouped validators still run (strictGroups is off)
  @IsNumber({}, { groups: ["strict"] }) grouped!: number;
  @IsString({ always: true }) always!: string;
  @IsIn(["number", "text"]) kind!: string;
  @ValidateIf((o: Signup) => o.kind === "number") @IsNumber() amount?: unknown;
  // the per-constraint `validateIf` option (class-validator 0.15)
  @IsString({ validateIf: (o: Signup) => o.kind === "text" }) note?: unknown;
}

const signup = fc
  .tuple(
    fc.integer().map((n) => n * 2),
    fc.string(),
    fc.option(fc.constantFrom("a@example.com", "first.last@example.org"), { nil: undefined }),
    finite,
    fc.string(),
    fc.oneof(
      fc.record({ kind: fc.constant("number"), amount: finite, note: safeJson }),
      fc.record({ kind: fc.constant("text"), amount: safeJson, note: fc.string() }),
    ),
  )
  .map(([even, password, email, grouped, always, rest]) => ({
    even,
    password,
    confirm: password,
    ...(email === undefined ? {} : { email }),
    grouped,
    always,
    ...rest,
  }));

class AsyncOnly {
  @Validate(AsyncConstraint) value!: number;
}

class WithTransform {
  @Transform(({ value }) => Number(value)) @IsNumber() n!: number;
}

class WithExpose {
  @Expose({ name: "n2" }) @IsNumber() n!: number;
}

class WithExclude {
  @IsNumber() n!: number;
  @Exclude() @IsString() secret!: string;
}

@Exclude()
class ExcludeAll {
  @Expose() @IsNumber() n!: number;
}

class NestsTransform {
  @ValidateNested() @Type(() => WithTransform) inner!: WithTransform;
}

class Discriminated {
  @ValidateNested()
  @Type(() => Point, { discriminator: { property: "kind", subTypes: [{ name: "point", value: Point }] } })
  shape!: Point;
}

class TypedString {
  @Type(() => String) @IsString() s!: string;
}

class Unvalidated {
  x!: number;
}

class NestsUnvalidated {
  @ValidateNested() @Type(() => Unvalidated) inner!: Unvalidated;
}

class WithPromise {
  @ValidatePromise() @IsNumber() later!: Promise<number>;
}

class PointSet {
  @ValidateNested({ each: true }) @Type(() => Point) points!: Set<Point>;
}

class Sloppy {
  @IsNumber() x!: number;
  note?: string; // declared but undecorated: an own property of every instance, never whitelisted
}

class ThrowingConstructor {
  @IsNumber() x!: number;
  constructor() {
    throw new Error("no");
  }
}

class Impostor {
  @IsNumber() x!: number;
  constructor() {
    // biome-ignore lint/correctness/noConstructorReturn: a constructor returning another object is a case
    return { x: 1 } as Impostor;
  }
}

class MaxDecimals {
  @IsNumber({ maxDecimalPlaces: 2 }) n!: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------------------

describe("compileValidator: agrees with plainToInstance + validateSync", () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(name, () => checkCase(c));
  }
});

describe("compileValidator: examples", () => {
  it("returns a new validated instance of the class for a plain object", () => {
    const value = { x: 1, y: 2 };
    const input = compile(AddInput)(value);
    assert.ok(input instanceof AddInput);
    assert.deepEqual({ ...input }, { x: 1, y: 2 });
    assert.notEqual(input, value);
  });

  it("accepts an instance of another class with the right fields and converts it", () => {
    const point = Object.assign(new Point(), { x: 3, y: 4 });
    const input = compile(AddInput)(point);
    assert.ok(input instanceof AddInput);
    assert.deepEqual({ ...input }, { x: 3, y: 4 });
  });

  it("leaves invalid values to the slow path", () => {
    const compiled = compile(AddInput);
    for (const value of [
      { x: 1 },
      { x: 1, y: "2" },
      { x: 1, y: 2, z: 3 },
      { x: Number.NaN, y: 0 },
      {},
      null,
    ]) {
      assert.equal(compiled(value), undefined, JSON.stringify(value));
    }
  });

  it("keeps defaults for missing keys, and an explicit undefined overwrites them as class-transformer does", () => {
    const compiled = compile(WithDefaults);
    const filled = compiled({});
    assert.ok(filled);
    assert.equal(filled.count, 5);
    assert.deepEqual({ ...filled.origin }, { x: 0, y: 0 });
    assert.equal(compiled({ count: undefined }), undefined); // IsInt(undefined) fails
    assert.equal(compiled({ origin: undefined })?.origin, undefined); // IsOptional
  });

  it("converts ISO strings, timestamps and Dates under @Type(() => Date)", () => {
    const compiled = compile(Schedule);
    const raw = new Date(5);
    const s = compiled({ at: "2024-05-01T12:00:00.000Z", dates: [0, new Date(1)], raw });
    assert.ok(s);
    assert.ok(s.at instanceof Date && s.at.getTime() === Date.parse("2024-05-01T12:00:00.000Z"));
    assert.deepEqual(
      s.dates.map((d) => d.getTime()),
      [0, 1],
    );
    assert.ok(s.raw instanceof Date && s.raw !== raw && s.raw.getTime() === 5);
    assert.equal(compiled({ at: "not a date", dates: [], raw }), undefined);
    assert.equal(compiled({ at: 0, dates: [], raw: "2024-05-01" }), undefined); // no @Type: stays a string
  });

  it("builds nested instances, including arrays of them", () => {
    const shape = compile(Shape)({ origin: { x: 0, y: 0 }, points: [{ x: 1, y: 2 }], name: "s" });
    assert.ok(shape);
    assert.ok(shape.origin instanceof Point);
    assert.ok(shape.points[0] instanceof Point);
    assert.equal(compile(Shape)({ origin: { x: 0, y: "0" }, points: [], name: "s" }), undefined);
  });

  it("@IsOptional skips every other validator for null and undefined", () => {
    const compiled = compile(Optionals);
    const o = compiled({ defined: 1, meta: {}, maybe: null, odd: null });
    assert.ok(o);
    assert.equal(o.maybe, null);
    assert.equal(compiled({ defined: null, meta: {} }), undefined); // IsDefined without IsOptional
  });

  it("@ValidateNested without @Type lets undefined through and leaves objects to the slow path", () => {
    const compiled = compile(LooseNested);
    assert.ok(compiled({}));
    assert.ok(compiled({ inner: [undefined] }));
    assert.equal(compiled({ inner: { a: 1 } }), undefined);
    assert.equal(slowPath(LooseNested, { inner: { a: 1 } }, false).kind, "rejected");
  });

  it("a subclass validator replaces the inherited ones of the same kind (class-validator behaviour)", () => {
    const compiled = compile(Derived);
    const d = compiled({ a: Number.POSITIVE_INFINITY, b: "b", c: true });
    assert.ok(d, "IsNumber on Base.a is dropped by Derived's @Min(0)");
    assert.equal(slowPath(Derived, { a: Number.POSITIVE_INFINITY, b: "b", c: true }, false).kind, "accepted");
  });

  it("an array for a property declared as a Set becomes a Set in class-transformer: falls back", () => {
    const value = { points: [{ x: 1, y: 2 }] };
    assert.equal(compile(PointSet)(value), undefined);
    const slow = slowPath(PointSet, value, false);
    assert.ok(slow.kind === "accepted" && (slow.instance as PointSet).points instanceof Set);
  });

  it("a declared property without decorators makes every value fall back (the slow path never accepts)", () => {
    const compiled = compile(Sloppy);
    assert.equal(compiled({ x: 1 }), undefined);
    assert.equal(slowPath(Sloppy, { x: 1 }, false).kind, "rejected");
  });

  it("keys class-transformer would silently drop fall back instead", () => {
    const compiled = compile(AddInput);
    const withProto = JSON.parse('{"x":1,"y":2,"__proto__":{"z":1}}');
    assert.equal(compiled(withProto), undefined);
    assert.equal(compiled({ x: 1, y: 2, constructor: 1 }), undefined);
    assert.equal(compiled({ x: 1, y: 2, toString: 1 }), undefined);
    assert.equal(compile(Optionals)({ defined: 1, meta: { toString: 1 } }), undefined);
    assert.equal(compile(FunctionDefault)({ x: 1, format: "%d" }), undefined);
    assert.equal(slowPath(FunctionDefault, { x: 1, format: "%d" }, false).kind, "accepted");
  });
});

describe("compileValidator: features it does not model", () => {
  it("custom, cross-field, grouped, always, ValidateIf and IsEmail validators still satisfy the safety property", () => {
    checkCase({
      cls: Signup,
      valid: validValues(signup),
      nearMiss: nearMisses(signup, Object.keys(new Signup()), fc.oneof(tricky, fc.string(), fc.integer())),
    });
  });

  const unsupported: Record<string, Ctor> = {
    "an async validator": AsyncOnly,
    "@Transform": WithTransform,
    "@Expose with a name": WithExpose,
    "@Exclude on a property": WithExclude,
    "@Exclude on the class": ExcludeAll,
    "@Type to a class using @Transform": NestsTransform,
    "@Type with a discriminator": Discriminated,
    "@Type(() => String)": TypedString,
    "@Type to a class without validation metadata": NestsUnvalidated,
    "@ValidatePromise": WithPromise,
    "no class-validator metadata at all": Unvalidated,
  };
  for (const [feature, cls] of Object.entries(unsupported)) {
    it(`gives no fast path for ${feature}`, () => {
      assert.equal(compileValidator(cls), undefined);
    });
  }

  it("gives no fast path for things that are not classes", () => {
    for (const notAClass of [undefined, null, 1, "AddInput", {}, () => 1, Symbol.iterator]) {
      assert.equal(compileValidator(notAClass as unknown as Ctor), undefined);
    }
  });
});

describe("compileValidator: never throws", () => {
  const compiled = {
    AddInput: compile(AddInput),
    Shape: compile(Shape),
    Schedule: compile(Schedule),
    TreeNode: compile(TreeNode),
    Optionals: compile(Optionals),
  };
  const classes = { AddInput, Shape, Schedule, TreeNode, Optionals } as const;
  const everything = fc.anything({
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withTypedArray: true,
    withSparseArray: true,
  });

  it("for arbitrary values, at the top level and in fields", () => {
    for (const name of Object.keys(compiled) as (keyof typeof compiled)[]) {
      const cls = classes[name];
      const fn = compiled[name] as (value: unknown) => object | undefined;
      fc.assert(
        fc.property(everything, (value) => {
          assertSafe(cls, fn, value);
        }),
        { numRuns: 150 },
      );
      fc.assert(
        fc.property(fc.dictionary(fc.constantFrom(...Object.keys(new cls()), "z"), everything), (value) => {
          assertSafe(cls, fn, value);
        }),
        { numRuns: 150 },
      );
    }
  });

  it("for hostile objects: throwing getters, proxies, thenables, cycles", () => {
    const throwing = new Proxy(
      {},
      {
        get() {
          throw new Error("get");
        },
        ownKeys() {
          throw new Error("ownKeys");
        },
        getPrototypeOf() {
          throw new Error("getPrototypeOf");
        },
        has() {
          throw new Error("has");
        },
        getOwnPropertyDescriptor() {
          throw new Error("getOwnPropertyDescriptor");
        },
      },
    );
    const getter = Object.defineProperty({ x: 1 }, "y", {
      enumerable: true,
      get() {
        throw new Error("y");
      },
    });
    // biome-ignore lint/suspicious/noThenProperty: a throwing `then` is a case
    const thenGetter = Object.defineProperty({ x: 1, y: 2 }, "then", {
      get() {
        throw new Error("then");
      },
    });
    const cyclic: { label: string; children: unknown[] } = { label: "a", children: [] };
    cyclic.children.push(cyclic);
    const weird: unknown[] = [
      undefined,
      null,
      0,
      "",
      Symbol("x"),
      10n,
      () => ({ x: 1, y: 2 }),
      class {},
      [],
      [{ x: 1, y: 2 }],
      new Map([["x", 1]]),
      new Set([1]),
      new Date(),
      Buffer.from("x"),
      Promise.resolve({ x: 1, y: 2 }),
      // biome-ignore lint/suspicious/noThenProperty: a thenable is a case
      { x: 1, y: 2, then: () => undefined },
      throwing,
      getter,
      thenGetter,
      { x: 1, y: throwing },
      { origin: throwing, points: [], name: "" },
      { origin: { x: 1, y: 2 }, points: [throwing], name: "" },
      { at: { valueOf: () => 0 }, dates: [], raw: new Date() },
      {
        at: {
          valueOf() {
            throw new Error("valueOf");
          },
        },
        dates: [],
        raw: new Date(),
      },
      cyclic,
      { label: "a", children: [cyclic] },
    ];
    for (const fn of Object.values(compiled) as ((value: unknown) => unknown)[]) {
      for (const value of weird) assert.doesNotThrow(() => fn(value));
    }
    assert.equal(compiled.TreeNode(cyclic), undefined);
    assert.equal(compiled.AddInput(getter), undefined);
    assert.equal(compiled.AddInput(thenGetter), undefined);
  });

  it("gives up on values nested deeper than it follows, and accepts reasonable depths", () => {
    const nest = (depth: number): object => {
      let node: { label: string; children?: object[] } = { label: "leaf" };
      for (let i = 0; i < depth; i++) node = { label: `n${i}`, children: [node] };
      return node;
    };
    assert.ok(assertSafe(TreeNode, compiled.TreeNode, nest(40)));
    assert.equal(compiled.TreeNode(nest(1000)), undefined);
  });

  it("when the class's constructor throws or returns another object", () => {
    const throwing = compile(ThrowingConstructor);
    assert.equal(throwing({ x: 1 }), undefined);
    const impostor = compile(Impostor);
    assert.equal(impostor({ x: 1 }), undefined);
  });

  it("when a class-validator function throws (IsNumber maxDecimalPlaces on 1e-7 — the slow path throws)", () => {
    const compiled = compile(MaxDecimals);
    assert.equal(compiled({ n: 1e-7 }), undefined);
    assert.equal(slowPath(MaxDecimals, { n: 1e-7 }, false).kind, "threw");
    assert.ok(compiled({ n: 1.25 }));
  });
});
