import "reflect-metadata";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { buildGraph, execute, type Graph, type GraphSpec, MoiraeError } from "../../src/index";
import "../fixtures/echo-nodes";

// Random specs, as a hostile or careless user writes them, fed to buildGraph and then to execute: only moirae's
// typed errors may come out, and an echo node's output equals the literal it was given (as the hash read it).
// Sizes are tuned so that the whole file stays within a few seconds: 10,000+ specs in all.

const RUNS = { valid: 2_500, hostile: 3_500, cycles: 2_500, names: 2_000 };

/** Data an echo node must hand back unchanged (after escapes are undone and holes read as undefined). */
const data = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom<unknown>(
      0,
      -0,
      1.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      "",
      null,
      undefined,
      true,
      10n,
    ),
    fc.constantFrom("$${a.b}", "x$${", "$$", "$", "{}", "${", "${a.b}", "${a.b} tail", "$${${"),
    fc.string({ maxLength: 6 }),
    fc.integer(),
    fc.double(),
    fc.bigInt(),
    fc.date({ noInvalidDate: true }),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.array(tie("value"), { maxLength: 4 }).map(withHole),
    fc.dictionary(key(), tie("value"), { maxKeys: 4, noNullPrototype: true }),
    fc.uint8Array({ maxLength: 4 }),
    fc.array(fc.tuple(fc.string({ maxLength: 3 }), tie("value")), { maxLength: 3 }).map((e) => new Map(e)),
    fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 3 })), { maxLength: 3 }).map((e) => new Set(e)),
  ),
})).value;

/** Object keys, odd ones included (a key named like an Object.prototype method must survive too). */
function key(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength: 4 }),
    fc.constantFrom("constructor", "toString", "valueOf", "a.b", "0", "", " ", "é", "$${x}"),
  );
}

/** The array with a hole at a random place (if it has elements). */
function withHole(array: unknown[]): unknown[] {
  if (array.length === 0) return array;
  const copy = [...array];
  delete copy[copy.length >> 1];
  return copy;
}

/** What an echo node must return for a literal: escapes undone in strings of arrays and plain objects. */
function expected(value: unknown, plain = true): unknown {
  if (typeof value === "string") return plain ? value.replaceAll("$${", "${") : value;
  if (Array.isArray(value)) return Array.from({ length: value.length }, (_, i) => expected(value[i], plain));
  if (value instanceof Map)
    return new Map(Array.from(value, ([k, v]) => [expected(k, false), expected(v, false)]));
  if (value instanceof Set) return new Set(Array.from(value, (v) => expected(v, false)));
  if (value instanceof Date || ArrayBuffer.isView(value)) return value;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) {
      // a property whose value is undefined counts as absent (as in the hash: { a: undefined } ≡ {})
      if ((value as Record<string, unknown>)[k] === undefined) continue;
      Object.defineProperty(out, k, {
        value: expected((value as Record<string, unknown>)[k], plain),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

/** Whether a literal has a string with an unescaped `${` in arrays and plain objects (an invalid reference). */
function hasBadString(value: unknown): boolean {
  if (typeof value === "string") return value.replaceAll("$${", "\u0000").includes("${");
  if (Array.isArray(value))
    return Array.from({ length: value.length }, (_, i) => value[i]).some(hasBadString);
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value).some(hasBadString);
  }
  return false;
}

/** Values that must be refused with a typed error (or, when harmless, accepted), never crash moirae. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.oneof(fc.integer({ min: 1, max: 600 }), fc.constant(5000)).map((n) => nest(n, "array")),
  fc.integer({ min: 490, max: 520 }).map((n) => nest(n, "object")),
  fc.constant(null).map(() => {
    const cyclic: Record<string, unknown> = { a: [1] };
    (cyclic.a as unknown[]).push({ back: cyclic });
    return cyclic;
  }),
  fc.string({ maxLength: 5 }).map((message) => {
    const value = { ok: 1 };
    Object.defineProperty(value, "bad", {
      enumerable: true,
      get() {
        throw new Error(message);
      },
    });
    return { wrapped: [value] };
  }),
  fc
    .constant(null)
    .map(() => ({ getter: Object.defineProperty({}, "g", { enumerable: true, get: () => 7 }) })),
  // Proxies are made inside the property (a thunk): fast-check itself probes generated values with `in`.
  fc.constantFrom("ownKeys", "get", "getPrototypeOf", "has", "getOwnPropertyDescriptor").map(
    (trap) => () =>
      new Proxy(
        { x: 1 },
        {
          [trap]() {
            throw new Error(`${trap} trap`);
          },
        },
      ),
  ),
  fc.constant(() => new Proxy({ x: [1, 2] }, {})),
  fc.constantFrom<unknown>(
    (x: number) => x,
    Symbol("s"),
    new WeakMap(),
    Promise.resolve(1),
    new Error("e"),
    new URL("https://example.com/"),
    /a+/g,
    new DataView(new ArrayBuffer(2)),
    new (class Point {
      x = 1;
    })(),
    Object.create(null),
  ),
  data,
);

function nest(n: number, kind: "array" | "object"): unknown {
  let value: unknown = 0;
  for (let i = 0; i < n; i++) value = kind === "array" ? [value] : { d: value };
  return value;
}

/** Runs `fn`; any error must be a MoiraeError (a typed error), reported with the spec that caused it. */
function typedOnly<T>(what: string, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (error) {
    assert.ok(
      error instanceof MoiraeError,
      `${what} threw a ${kindOfError(error)}: ${String((error as Error)?.message ?? error)}`,
    );
    return undefined;
  }
}

async function typedOnlyAsync<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    assert.ok(
      error instanceof MoiraeError,
      `${what} threw a ${kindOfError(error)}: ${String((error as Error)?.message ?? error)}`,
    );
    return undefined;
  }
}

function kindOfError(error: unknown): string {
  return (error as { constructor?: { name?: string } })?.constructor?.name ?? typeof error;
}

const run = (graph: Graph) => execute(graph, { concurrency: 4 });

describe("property: random specs meet only typed errors, and echo nodes return what they were given", () => {
  it("valid specs of echo nodes with literals and references run and echo their data", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(data, { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        async (literals, links) => {
          // node i echoes its literal, or (when links says so) the output of an earlier node
          const spec: GraphSpec = {};
          const source: number[] = [];
          literals.forEach((literal, i) => {
            const link = i > 0 && links[i] !== undefined && links[i]! % 3 === 0 ? links[i]! % i : -1;
            source.push(link >= 0 ? source[link]! : i);
            spec[`n${i}`] = { node: "Echo", inputs: { data: link >= 0 ? `\${n${link}.data}` : literal } };
          });
          const graph = typedOnly("buildGraph", () => buildGraph(spec));
          if (!graph) {
            assert.ok(literals.some(hasBadString), "a spec without a bad string was refused");
            return;
          }
          const outputs = await typedOnlyAsync("execute", () => run(graph));
          assert.ok(outputs, "a built graph of echo nodes failed to run");
          literals.forEach((_, i) => {
            const from = source[i]!;
            const echoed = (outputs[`n${i}`] as { data: unknown }).data;
            assert.deepStrictEqual(expected(echoed, false), expected(literals[from]));
          });
        },
      ),
      { numRuns: RUNS.valid },
    );
  });

  it("hostile literals and arguments give typed errors or run correctly, never crash", async () => {
    await fc.assert(
      fc.asyncProperty(hostile, fc.boolean(), async (generated, asArgument) => {
        const value = typeof generated === "function" && generated.length === 0 ? generated() : generated;
        const spec = asArgument
          ? { a: { node: "EchoArgument", arguments: { value }, inputs: {} } }
          : { a: { node: "Echo", inputs: { data: value } } };
        const graph = typedOnly("buildGraph", () => buildGraph(spec as GraphSpec));
        if (graph) await typedOnlyAsync("execute", () => run(graph));
      }),
      { numRuns: RUNS.hostile },
    );
  });

  it("cycles of every length (plus tails and broken references) are cycle issues", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 5 }),
        fc.boolean(),
        (length, tail, broken) => {
          const spec: Record<string, unknown> = {};
          for (let i = 0; i < length; i++)
            spec[`c${i}`] = { node: "Echo", inputs: { data: `\${c${(i + 1) % length}.data}` } };
          for (let i = 0; i < tail; i++)
            spec[`t${i}`] = { node: "Echo", inputs: { data: `\${${i ? `t${i - 1}` : "c0"}.data}` } };
          if (broken) spec.b = { node: "Echo", inputs: { data: "${nowhere.data}" } };
          const error = (() => {
            try {
              buildGraph(spec as GraphSpec);
            } catch (e) {
              return e;
            }
          })();
          assert.ok(error instanceof MoiraeError);
          const codes = (error as unknown as { issues: { code: string }[] }).issues.map((i) => i.code).sort();
          const self = length === 1 ? "self-reference" : "cycle";
          assert.deepEqual(codes, broken ? [self, "unknown-reference-node"].sort() : [self]);
        },
      ),
      { numRuns: RUNS.cycles },
    );
  });

  it("odd node names, odd entries and odd specs give typed errors", () => {
    const entry = fc.oneof(
      fc.constant({ node: "Echo", inputs: { data: 1 } }),
      fc.constantFrom<unknown>(
        null,
        1,
        "Echo",
        [],
        new Map(),
        new Date(0),
        { node: "Nope", inputs: {} },
        { node: "Echo" },
      ),
      fc.constant({ node: "Echo", inputs: { data: 1 }, extra: true }),
      fc.constant({ node: "Echo", inputs: { nope: 1 } }),
      fc.constant({ node: "EchoArgument", arguments: { nope: 1 }, inputs: {} }),
      fc.constant({ node: "Echo", inputs: { data: "${a.nope}" } }),
    );
    const name = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constantFrom("__proto__", "constructor", "prototype", "a", "a b", "1a", "é", "$", "a.b", "_"),
    );
    const spec = fc.oneof(
      fc.array(fc.tuple(name, entry), { maxLength: 5 }).map((entries) => {
        const out: Record<string, unknown> = {};
        for (const [k, v] of entries)
          Object.defineProperty(out, k, { value: v, enumerable: true, configurable: true, writable: true });
        return out;
      }),
      fc.constantFrom<unknown>(null, undefined, 0, "spec", [], new Map(), new Date(0), new Set()),
    );
    fc.assert(
      fc.property(spec, (s) => {
        typedOnly("buildGraph", () => buildGraph(s as GraphSpec));
      }),
      { numRuns: RUNS.names },
    );
  });
});
