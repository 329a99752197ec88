import "reflect-metadata";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import * as zlib from "node:zlib";
import { Type } from "class-transformer";
import {
  Allow,
  IsBoolean,
  IsDate,
  IsInstance,
  IsNumber,
  IsOptional,
  IsString,
  Min,
  ValidateNested,
} from "class-validator";
import fc from "fast-check";
import { container } from "tsyringe";
import { Codec } from "../../src/cache/codec";
import { CACHE_FORMAT_VERSION } from "../../src/constants";
import { CacheDecodeError } from "../../src/errors/cache-decode-error";
import { CacheEncodeError } from "../../src/errors/cache-encode-error";
import { MoiraeError, Output } from "../../src/index";
import { checkData } from "../../src/validation/validate-data";

const hashOf = (label: string) => createHash("sha256").update(label).digest("hex");
const FP = hashOf("AddMul");
const codec = new Codec();

const roundTrip = <T extends object>(value: object, cls: new () => T, fp = FP): T =>
  codec.decode(codec.encode(value, cls, fp), cls, fp) as T;

/** Runs `fn` and returns the CacheDecodeError it throws; fails when it returns or throws anything else. */
function decodeError(fn: () => unknown): CacheDecodeError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  assert.ok(thrown instanceof CacheDecodeError, `expected a CacheDecodeError, got ${String(thrown)}`);
  return thrown;
}

@Output()
class AddOutput {
  @IsNumber() o!: number;
}

@Output()
class Scalars {
  @IsNumber({ allowNaN: true, allowInfinity: true }) n!: number;
  @IsString() s!: string;
  @IsBoolean() b!: boolean;
  @Allow() nothing!: object | null;
  @Allow() tree!: unknown;
  @IsOptional() @IsNumber() opt?: number;
}

class Point {
  @IsNumber() x!: number;
  @IsNumber() y!: number;
  @IsOptional() @IsInstance(Set) labels?: Set<string>;
}

@Output()
class Shape {
  @IsString() name!: string;
  @ValidateNested() @Type(() => Point) origin!: Point;
  @ValidateNested({ each: true }) @Type(() => Point) points!: Point[];
  @ValidateNested({ each: true }) @Type(() => Point) named!: Map<string, Point>;
}

@Output()
class Typed {
  @IsDate() at!: Date;
  @IsInstance(Buffer) buffer!: Buffer;
  @IsInstance(Uint8Array) bytes!: Uint8Array;
  @IsInstance(Map) counts!: Map<string, number>;
  @IsInstance(Set) tags!: Set<string>;
}

describe("Codec: round trips", () => {
  it("encodes { o: 3 } and decodes a new, validated AddOutput", () => {
    const output = Object.assign(new AddOutput(), { o: 3 });
    const bytes = codec.encode(output, AddOutput, FP);
    assert.ok(bytes instanceof Uint8Array);
    const decoded = codec.decode(bytes, AddOutput, FP);
    assert.ok(decoded instanceof AddOutput);
    assert.notEqual(decoded, output);
    assert.deepEqual(decoded, output);
    assert.notEqual(codec.decode(bytes, AddOutput, FP), decoded, "each decode is a new instance");
  });

  it("keeps numbers exactly: -0, NaN, ±Infinity, integers beyond 2^31 and 2^53, tiny and huge floats", () => {
    const numbers = [
      -0,
      0,
      NaN,
      Infinity,
      -Infinity,
      2 ** 31,
      2 ** 32 + 1,
      -(2 ** 40),
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
      2 ** 60,
      1.5,
      0.1 + 0.2,
      5e-324,
      1.7976931348623157e308,
    ];
    for (const n of numbers) {
      const out = roundTrip({ n, s: "", b: true, nothing: null, tree: [n, [n]] }, Scalars);
      assert.ok(Object.is(out.n, n), `${n} came back as ${out.n}`);
      assert.deepEqual(out.tree, [n, [n]]);
    }
  });

  it("keeps strings exactly, including emoji, combining marks, NUL and lone surrogates", () => {
    for (const s of [
      "",
      "héllo wörld",
      "🎉👩‍👩‍👧",
      "e\u0301",
      "a\u0000b",
      "\ud800",
      "x\udfffy",
      "日本語".repeat(1000),
    ]) {
      assert.equal(roundTrip({ n: 1, s, b: false, nothing: null, tree: [s, { key: s }] }, Scalars).s, s);
    }
  });

  it("keeps booleans, null, nested arrays and objects, bigints and undefined array slots", () => {
    const tree = {
      list: [1, "two", [3, [4, [5, null]]], { deep: { deeper: [true, false] } }],
      big: 2n ** 100n,
      small: -7n,
      holes: [1, undefined, 3],
      empty: { arr: [], obj: {} },
    };
    const out = roundTrip({ n: 1, s: "s", b: true, nothing: null, tree }, Scalars);
    assert.deepEqual(out.tree, tree);
    assert.equal(out.nothing, null);
    assert.equal(out.b, true);
  });

  it("property: numbers, strings and nested arrays round-trip exactly", () => {
    const leaf = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.maxSafeInteger(),
      fc.string({ unit: "binary" }),
      fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }),
      fc.boolean(),
      fc.constant(null),
    );
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("tree"), { maxLength: 5 }), tie("record")),
      record: fc.dictionary(fc.string({ unit: "grapheme", minLength: 1, maxLength: 8 }), tie("tree"), {
        maxKeys: 5,
        noNullPrototype: true,
      }),
    }));
    fc.assert(
      fc.property(fc.double(), fc.string(), tree, (n, s, value) => {
        const output = { n, s, b: true, nothing: null, tree: value };
        const expected = checkData(Scalars, output);
        assert.ok(expected.ok);
        assert.deepStrictEqual(roundTrip(output, Scalars), expected.value);
      }),
      { numRuns: 300 },
    );
  });

  it("gives Dates, Buffers, Uint8Arrays, Maps and Sets back with their declared types", () => {
    const output = {
      at: new Date("2024-02-29T23:59:59.123Z"),
      buffer: Buffer.from("binary \x00\xff data", "latin1"),
      bytes: new Uint8Array([0, 1, 254, 255]),
      counts: new Map([
        ["a", 1],
        ["b", -0],
      ]),
      tags: new Set(["x", "y"]),
    };
    const out = roundTrip(output, Typed);
    assert.ok(out instanceof Typed);
    assert.ok(out.at instanceof Date);
    assert.equal(out.at.toISOString(), "2024-02-29T23:59:59.123Z");
    assert.ok(Buffer.isBuffer(out.buffer));
    assert.deepEqual([...out.buffer], [...output.buffer]);
    assert.equal(
      Object.getPrototypeOf(out.bytes),
      Uint8Array.prototype,
      "a Uint8Array does not come back as a Buffer",
    );
    assert.deepEqual([...out.bytes], [0, 1, 254, 255]);
    assert.ok(out.counts instanceof Map);
    assert.deepStrictEqual(out.counts, output.counts);
    assert.ok(Object.is(out.counts.get("b"), -0));
    assert.ok(out.tags instanceof Set);
    assert.deepStrictEqual(out.tags, output.tags);
  });

  it("keeps Dates and Buffers, valid or not, declared or not", () => {
    @Output()
    class Stamped {
      @IsDate() at!: Date;
      @IsInstance(Buffer) raw!: Buffer;
      @Allow() extra!: unknown;
    }
    const output = {
      at: new Date(-62_198_755_200_001),
      raw: Buffer.alloc(0),
      extra: { when: [new Date(8.64e15)], bytes: Buffer.from([1, 2, 3]), invalid: new Date(Number.NaN) },
    };
    const out = roundTrip(output, Stamped);
    assert.ok(out instanceof Stamped);
    assert.equal(out.at.getTime(), -62_198_755_200_001);
    assert.ok(Buffer.isBuffer(out.raw) && out.raw.byteLength === 0);
    const extra = out.extra as typeof output.extra;
    assert.deepStrictEqual(extra.when, [new Date(8.64e15)]);
    assert.ok(Buffer.isBuffer(extra.bytes));
    assert.deepEqual([...extra.bytes], [1, 2, 3]);
    assert.ok(extra.invalid instanceof Date && Number.isNaN(extra.invalid.getTime()));
  });

  it("property: Dates, bytes, Maps and Sets round-trip exactly", () => {
    fc.assert(
      fc.property(
        fc.date({ noInvalidDate: true }),
        fc.uint8Array(),
        fc.uint8Array(),
        fc.array(fc.tuple(fc.string(), fc.integer())),
        fc.array(fc.string()),
        (at, buffer, bytes, entries, tags) => {
          const output = {
            at,
            buffer: Buffer.from(buffer),
            bytes,
            counts: new Map(entries),
            tags: new Set(tags),
          };
          assert.deepStrictEqual(roundTrip(output, Typed), Object.assign(new Typed(), output));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("keeps Maps with any keys, Sets of objects and typed arrays anywhere in an undeclared field", () => {
    const tree = {
      byNumber: new Map<unknown, unknown>([
        [1, "one"],
        [-0, "zero"],
        [{ composite: [1, 2] }, new Map([["inner", new Set([new Date(0), -0])]])],
        [new Date(86_400_000), [new Map()]],
      ]),
      sets: [new Set([{ a: 1 }, { a: 1 }]), new Set()],
      floats: new Float64Array([1.5, -0, NaN]),
      ints: new BigInt64Array([-(2n ** 63n)]),
      buffer: Buffer.from("raw"),
      arrayBuffer: new Uint8Array([1, 2, 3]).buffer,
      view: new DataView(new Uint8Array([4, 5]).buffer),
      pattern: /a+b/gi,
    };
    const out = roundTrip(
      { n: 0, s: "", b: false, nothing: null, tree: { ...tree, invalid: new Date(Number.NaN) } },
      Scalars,
    );
    const { invalid, ...rest } = out.tree as typeof tree & { invalid: Date };
    assert.deepStrictEqual(rest, tree);
    assert.ok(
      invalid instanceof Date && Number.isNaN(invalid.getTime()),
      "an invalid Date stays an invalid Date",
    );
  });

  it("rebuilds nested @Type classes, in arrays and as the values of a Map field", () => {
    const output = {
      name: "triangle",
      origin: { x: 0, y: 0 },
      points: [
        { x: 1, y: 2, labels: new Set(["a"]) },
        { x: 3, y: 4 },
      ],
      named: new Map([["apex", { x: 5, y: 6 }]]),
    };
    const out = roundTrip(output, Shape);
    assert.ok(out instanceof Shape);
    assert.ok(out.origin instanceof Point);
    assert.ok(out.points.every((p) => p instanceof Point));
    assert.ok(out.points[0]!.labels instanceof Set);
    assert.deepEqual([...out.points[0]!.labels!], ["a"]);
    assert.ok(out.named instanceof Map);
    assert.ok(out.named.get("apex") instanceof Point);
    assert.deepEqual({ ...out.named.get("apex") }, { x: 5, y: 6, labels: undefined });
  });

  it("validates the members of a rebuilt Map field: a bad member is a CacheDecodeError", () => {
    const bytes = codec.encode(
      { name: "n", origin: { x: 0, y: 0 }, points: [], named: new Map([["bad", { x: "no", y: 0 }]]) },
      Shape,
      FP,
    );
    const error = decodeError(() => codec.decode(bytes, Shape, FP));
    assert.deepEqual(
      error.issues.map((i) => i.path),
      ["named.bad.x"],
    );
  });

  it("leaves absent optional fields absent from the bytes and undefined on the instance", () => {
    const bytes = codec.encode({ n: 1, s: "s", b: true, nothing: null, tree: 0 }, Scalars, FP);
    assert.equal(Buffer.from(bytes).includes("opt"), false);
    const out = codec.decode(bytes, Scalars, FP) as Scalars;
    assert.equal(out.opt, undefined);
    const fresh = checkData(Scalars, { n: 1, s: "s", b: true, nothing: null, tree: 0 });
    assert.ok(fresh.ok);
    assert.deepStrictEqual(out, fresh.value);
  });

  it("keeps a field explicitly set to undefined undefined, even when the class initializes it", () => {
    @Output()
    class Page {
      @IsNumber() total!: number;
      @IsOptional() @IsNumber() limit?: number = 10;
    }
    const validated = checkData(Page, { total: 3, limit: undefined });
    assert.ok(validated.ok);
    assert.equal(roundTrip(validated.value, Page).limit, undefined);
    assert.equal(roundTrip({ total: 3 }, Page).limit, 10);
  });

  it("copies shared references, and a decoded output shares no memory with the cached bytes", () => {
    const shared = { v: [1, 2] };
    const out = roundTrip({ n: 1, s: "", b: true, nothing: null, tree: { a: shared, b: shared } }, Scalars);
    const tree = out.tree as { a: { v: number[] }; b: { v: number[] } };
    assert.deepEqual(tree.a, shared);
    assert.notEqual(tree.a, tree.b);

    const bytes = codec.encode(
      {
        at: new Date(0),
        buffer: Buffer.from("abc"),
        bytes: new Uint8Array([1]),
        counts: new Map(),
        tags: new Set(),
      },
      Typed,
      FP,
    );
    const before = Uint8Array.from(bytes);
    const first = codec.decode(bytes, Typed, FP) as Typed;
    first.buffer.fill(0);
    first.bytes.fill(9);
    assert.deepEqual(bytes, before);
    assert.equal((codec.decode(bytes, Typed, FP) as Typed).buffer.toString(), "abc");
  });

  it("does not modify the output it encodes, and equal outputs give equal bytes", () => {
    const output = { n: -0, s: "\ud800", b: true, nothing: null, tree: { m: new Map([[1, new Set([2])]]) } };
    const copy = { ...output, tree: { m: new Map([[1, new Set([2])]]) } };
    const first = codec.encode(output, Scalars, FP);
    codec.encode(
      { n: 1, s: "other shape", b: false, nothing: null, tree: [{ x: 1 }, { y: 2 }] },
      Scalars,
      FP,
    );
    assert.deepEqual(codec.encode(output, Scalars, FP), first);
    assert.deepStrictEqual(output, copy);
  });
});

describe("Codec: the header", () => {
  it("starts with MOIR, the format version, the output kind and the hash's 32 bytes", () => {
    const bytes = Buffer.from(codec.encode({ o: 3 }, AddOutput, FP));
    assert.equal(bytes.toString("latin1", 0, 4), "MOIR");
    assert.equal(bytes[5], 0);
    assert.equal(bytes[4], CACHE_FORMAT_VERSION);
    assert.equal(bytes.toString("hex", 16, 48), FP);
    assert.equal(bytes.readUInt32BE(8), bytes.byteLength - 48);
  });

  it("rejects bytes written for another hash (other inputs, arguments or code)", () => {
    const bytes = codec.encode({ o: 3 }, AddOutput, hashOf("Multiply"));
    const error = decodeError(() => codec.decode(bytes, AddOutput, FP));
    assert.match(error.reason, /is for another hash \([0-9a-f]{12}…, expected [0-9a-f]{12}…\)/);
    assert.doesNotMatch(error.reason, /node class or schema/);
    assert.match(error.message, /^Cannot decode a cached AddOutput: .* counts as a cache miss/);
  });

  it("rejects another format version", () => {
    const bytes = codec.encode({ o: 3 }, AddOutput, FP);
    bytes[4] = 1;
    assert.match(
      decodeError(() => codec.decode(bytes, AddOutput, FP)).reason,
      /format version 1, expected 2/,
    );
  });

  it("rejects every truncation and any extra bytes", () => {
    const bytes = codec.encode({ n: 1, s: "x".repeat(100), b: true, nothing: null, tree: [1] }, Scalars, FP);
    for (let length = 0; length < bytes.byteLength; length++) {
      assert.match(
        decodeError(() => codec.decode(bytes.subarray(0, length), Scalars, FP)).reason,
        /truncated/,
      );
    }
    const longer = new Uint8Array(bytes.byteLength + 1);
    longer.set(bytes);
    assert.match(decodeError(() => codec.decode(longer, Scalars, FP)).reason, /longer than its header says/);
  });

  it("rejects every single-bit corruption of an entry", () => {
    const bytes = codec.encode(
      {
        at: new Date(1),
        buffer: Buffer.from("ab"),
        bytes: new Uint8Array([7]),
        counts: new Map([["k", 1]]),
        tags: new Set(["t"]),
      },
      Typed,
      FP,
    );
    for (let bit = 0; bit < bytes.byteLength * 8; bit++) {
      const corrupt = Uint8Array.from(bytes);
      corrupt[bit >> 3]! ^= 1 << (bit & 7);
      decodeError(() => codec.decode(corrupt, Typed, FP));
    }
  });

  it("property: random bytes are always a CacheDecodeError", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        decodeError(() => codec.decode(bytes, AddOutput, FP));
      }),
      { numRuns: 1000 },
    );
  });

  it("property: a valid header around a random payload is a CacheDecodeError or a valid AddOutput", () => {
    const header = codec.encode({ o: 3 }, AddOutput, FP).subarray(0, 48);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (payload) => {
        const bytes = Buffer.concat([header, payload]);
        bytes.writeUInt32BE(payload.byteLength, 8);
        bytes.writeUInt32BE(zlib.crc32(payload), 12);
        try {
          const out = codec.decode(bytes, AddOutput, FP);
          assert.ok(out instanceof AddOutput);
          assert.ok(checkData(AddOutput, out).ok);
        } catch (error) {
          assert.ok(error instanceof CacheDecodeError, String(error));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("throws only CacheDecodeError, whatever it is given", () => {
    const bytes = codec.encode({ o: 3 }, AddOutput, FP);
    decodeError(() => codec.decode("MOCD" as never, AddOutput, FP));
    decodeError(() => codec.decode(undefined as never, AddOutput, FP));
    decodeError(() => codec.decode(bytes, AddOutput, "not-a-hash"));
    decodeError(() => codec.decode(bytes, AddOutput, FP.toUpperCase()));
    decodeError(() => codec.decode(bytes, undefined as never, FP));
    const error = decodeError(() => codec.decode(Buffer.from("PK\x03\x04 a zip file"), AddOutput, FP));
    assert.ok(error instanceof MoiraeError);
    assert.match(error.reason, /not a moirae cache entry/);
  });
});

describe("Codec: schema changes", () => {
  it("an Output class that gained a required field makes the old bytes a CacheDecodeError naming it", () => {
    @Output()
    class Before {
      @IsNumber() o!: number;
    }
    @Output()
    class After {
      @IsNumber() o!: number;
      @IsString() unit!: string;
    }
    const bytes = codec.encode({ o: 3 }, Before, FP);
    const error = decodeError(() => codec.decode(bytes, After, FP));
    assert.deepEqual(
      error.issues.map((i) => i.path),
      ["unit"],
    );
    assert.match(
      error.message,
      /does not satisfy After as it is declared now.*\n {2}- output\.unit: unit must be a string/s,
    );
  });

  it("a removed field, a changed type or a new constraint is a CacheDecodeError too", () => {
    @Output()
    class Wide {
      @IsNumber() o!: number;
      @IsString() extra!: string;
    }
    @Output()
    class AsText {
      @IsString() o!: string;
    }
    @Output()
    class Positive {
      @IsNumber() @Min(0) o!: number;
    }
    decodeError(() => codec.decode(codec.encode({ o: 3, extra: "x" }, Wide, FP), AddOutput, FP));
    decodeError(() => codec.decode(codec.encode({ o: 3 }, AddOutput, FP), AsText, FP));
    decodeError(() => codec.decode(codec.encode({ o: -1 }, AddOutput, FP), Positive, FP));
  });

  it("a Map field that became a Set is a CacheDecodeError", () => {
    @Output()
    class AsSet {
      @IsInstance(Set) counts!: Set<string>;
    }
    @Output()
    class AsMap {
      @IsInstance(Map) counts!: Map<string, number>;
    }
    const bytes = codec.encode({ counts: new Map([["a", 1]]) }, AsMap, FP);
    decodeError(() => codec.decode(bytes, AsSet, FP));
  });

  it("a class without fields round-trips {} and refuses anything else", () => {
    @Output()
    class Nothing {}
    assert.ok(roundTrip({}, Nothing) instanceof Nothing);
    decodeError(() => codec.decode(codec.encode({ o: 1 }, AddOutput, FP), Nothing, FP));
  });
});

describe("Codec: values that cannot be cached", () => {
  const cases: [string, object, RegExp][] = [
    ["a function", { o: 1, tree: { f: () => 1 } }, /output\.tree\.f is a function/],
    ["a symbol", { o: 1, tree: [Symbol("s")] }, /output\.tree\[0\] is a symbol/],
    ["a Promise", { o: 1, tree: Promise.resolve(1) }, /output\.tree is a Promise, which is not data/],
    ["a WeakMap", { o: 1, tree: new Map([[1, new WeakMap()]]) }, /output\.tree<map value #0> is a WeakMap/],
    ["an Error", { o: 1, tree: new Set([new Error("x")]) }, /output\.tree<set member #0> is an Error/],
  ];
  for (const [what, output, message] of cases) {
    it(`refuses ${what} with a CacheEncodeError naming where it is`, () => {
      assert.throws(
        () => codec.encode(output, AddOutput, FP),
        (error: unknown) => error instanceof CacheEncodeError && message.test(error.message),
      );
    });
  }

  it("refuses a property name with a lone surrogate or named __proto__, which msgpack would change", () => {
    assert.throws(() => codec.encode({ o: 1, tree: { "\ud800": 1 } }, AddOutput, FP), CacheEncodeError);
    assert.throws(
      () => codec.encode({ o: 1, tree: JSON.parse('{"__proto__": 1}') }, AddOutput, FP),
      CacheEncodeError,
    );
  });

  it("refuses an output nested past the depth limit (500 levels in a field), and round-trips one at the limit", () => {
    const nest = (depth: number) => {
      let tree: unknown = 0;
      for (let i = 0; i < depth; i++) tree = [tree];
      return tree;
    };
    for (const depth of [501, 200_000]) {
      assert.throws(
        () => codec.encode({ o: 1, tree: nest(depth) }, AddOutput, FP),
        (error: unknown) =>
          error instanceof CacheEncodeError &&
          /^output\.tree\[0\]\[0\]/.test(error.path ?? "") &&
          error.path!.length < 200 &&
          /more than 500 levels/.test(error.reason),
      );
    }
    const out = roundTrip({ n: 1, s: "", b: true, nothing: null, tree: nest(500) }, Scalars);
    assert.deepStrictEqual(out.tree, nest(500));
  });

  it("refuses a cycle, naming the path", () => {
    const tree: { list: unknown[] } = { list: [] };
    tree.list.push({ back: tree });
    assert.throws(
      () => codec.encode({ o: 1, tree }, AddOutput, FP),
      (error: unknown) =>
        error instanceof CacheEncodeError &&
        error.path === "output.tree.list[0].back" &&
        /is a cycle/.test(error.reason),
    );
  });

  it("refuses an output that is not an object with fields, and a hash that is not a node hash", () => {
    for (const output of [null, [1], new Map(), "text"]) {
      assert.throws(() => codec.encode(output as never, AddOutput, FP), CacheEncodeError);
    }
    assert.throws(
      () => codec.encode({ o: 1 }, AddOutput, "abc"),
      (error: unknown) =>
        error instanceof CacheEncodeError && /the hash "abc" is not a node hash/.test(error.message),
    );
    const bytes = codec.encode({ o: 1 }, AddOutput, FP);
    for (const [hash, shown] of [
      ["abc", '"abc"'],
      [FP.toUpperCase(), `"${FP.toUpperCase()}"`],
      [undefined, "undefined"],
    ] as const) {
      for (const value of [bytes, "not bytes"]) {
        assert.throws(
          () => codec.decode(value as Uint8Array, AddOutput, hash as string),
          (error: unknown) =>
            error instanceof CacheDecodeError &&
            error.message.includes(`the hash ${shown} is not a node hash`),
        );
      }
    }
  });
});

describe("Codec: dependency injection", () => {
  it("resolves from a fresh container, and a child can register a replacement", () => {
    const child = container.createChildContainer();
    assert.ok(child.resolve(Codec) instanceof Codec);
    class Counting extends Codec {
      decodes = 0;
      override decode(bytes: Uint8Array, outputClass: new () => object, fp: string): object {
        this.decodes++;
        return super.decode(bytes, outputClass, fp);
      }
    }
    const replacement = new Counting();
    child.register(Codec, { useValue: replacement });
    const resolved = child.resolve(Codec);
    assert.equal(resolved, replacement);
    resolved.decode(resolved.encode({ o: 1 }, AddOutput, FP), AddOutput, FP);
    assert.equal(replacement.decodes, 1);
    assert.ok(!(container.createChildContainer().resolve(Codec) instanceof Counting));
  });
});
