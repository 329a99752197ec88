import "reflect-metadata";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { IsInt, IsNumber, IsString } from "class-validator";
import { container, inject, injectable } from "tsyringe";
import {
  buildGraph,
  CacheProvider,
  type ExecutionEvent,
  Executor,
  execute,
  executeStream,
  FileCacheProvider,
  type GraphSpec,
  MemoryCacheProvider,
  Node,
  Output,
  resetNodeRegistry,
} from "../../src/index";
import { O, XY } from "../fixtures/data-classes";

/** How many times each node (by graph name) executed. */
let runs: Record<string, number> = {};
const count = (name: string) => {
  runs[name] = (runs[name] ?? 0) + 1;
};

@Output()
class OWithNote {
  @IsNumber() o!: number;
  @IsString() note!: string;
}

type Variant = { version?: number; minus?: boolean; noted?: boolean };

function define(variant: Variant = {}): void {
  resetNodeRegistry();
  if (variant.minus) {
    @Node({ input: XY, output: O, name: "Add", version: variant.version })
    class Add {
      @IsInt() coef = 1;
      async execute(input: XY, ctx: { name: string }) {
        count(ctx.name);
        return { o: this.coef * (input.x - input.y) };
      }
    }
    void Add;
  } else if (variant.noted) {
    @Node({ input: XY, output: OWithNote, name: "Add", version: variant.version })
    class Add {
      @IsInt() coef = 1;
      async execute(input: XY, ctx: { name: string }) {
        count(ctx.name);
        return { o: this.coef * (input.x + input.y), note: "n" };
      }
    }
    void Add;
  } else {
    @Node({ input: XY, output: O, name: "Add", version: variant.version })
    class Add {
      @IsInt() coef = 1;
      async execute(input: XY, ctx: { name: string }) {
        count(ctx.name);
        return { o: this.coef * (input.x + input.y) };
      }
    }
    void Add;
  }
  @Node({ input: XY, output: O, name: "Twin" })
  class Twin {
    @IsInt() coef = 1;
    async execute(input: XY, ctx: { name: string }) {
      count(ctx.name);
      return { o: this.coef * (input.x + input.y) };
    }
  }
  void Twin;
}

/** a, b independent; c = a + b; d after c; e a sibling branch from b. */
const spec = (): GraphSpec => ({
  a: { node: "Add", inputs: { x: 1, y: 2 } },
  b: { node: "Add", arguments: { coef: 2 }, inputs: { x: 3, y: 4 } },
  c: { node: "Add", inputs: { x: "${a.o}", y: "${b.o}" } },
  d: { node: "Add", inputs: { x: "${c.o}", y: 1 } },
  e: { node: "Add", inputs: { x: "${b.o}", y: 10 } },
});

const executed = () => Object.keys(runs).sort();

/** A provider that counts calls around a memory cache. */
class CountingCache extends MemoryCacheProvider {
  gets = 0;
  sets = 0;
  override async get(key: string) {
    this.gets++;
    return super.get(key);
  }
  override async set(key: string, value: Uint8Array) {
    this.sets++;
    return super.set(key, value);
  }
}

describe("executor + cache: what re-runs", () => {
  let cache: CountingCache;
  beforeEach(() => {
    define();
    runs = {};
    cache = new CountingCache();
  });

  it("runs everything once, then nothing: every result is cached and equal", async () => {
    const first = await execute(buildGraph(spec()), { cache });
    assert.deepEqual(executed(), ["a", "b", "c", "d", "e"]);
    assert.equal(cache.sets, 5);
    runs = {};
    const statuses: Record<string, string> = {};
    for await (const r of executeStream(buildGraph(spec()), { cache })) statuses[r.node] = r.status;
    assert.deepEqual(executed(), []);
    assert.deepEqual(statuses, { a: "cached", b: "cached", c: "cached", d: "cached", e: "cached" });
    const second = await execute(buildGraph(spec()), { cache });
    assert.deepEqual(second, first);
    assert.ok(second.c instanceof O);
    assert.equal(cache.sets, 5, "hits are not written back");
  });

  it("re-runs exactly what depends on a change (invalidation matrix)", async () => {
    await execute(buildGraph(spec()), { cache });
    const rerun = async (s: GraphSpec) => {
      runs = {};
      await execute(buildGraph(s), { cache });
      return executed();
    };
    const literal = spec();
    literal.a!.inputs.y = 5;
    assert.deepEqual(await rerun(literal), ["a", "c", "d"]);

    const argument = spec();
    argument.b!.arguments = { coef: 3 };
    assert.deepEqual(await rerun(argument), ["b", "c", "d", "e"]);

    const renamed: GraphSpec = {};
    for (const [name, entry] of Object.entries(spec()).reverse()) {
      renamed[`renamed_${name}`] = JSON.parse(JSON.stringify(entry).replace(/\$\{(\w)\./g, "${renamed_$1."));
    }
    assert.deepEqual(await rerun(renamed), [], "renaming nodes or reordering the spec re-runs nothing");

    define({ version: 2 });
    assert.deepEqual(await rerun(spec()), ["a", "b", "c", "d", "e"]);
    define({ minus: true });
    assert.deepEqual(await rerun(spec()), ["a", "b", "c", "d", "e"]);
    define();
    assert.deepEqual(await rerun(spec()), [], "the same code defined again has the same fingerprint");
  });

  it("treats entries of an Output class that gained a field as misses", async () => {
    await execute(buildGraph(spec()), { cache });
    define({ noted: true });
    runs = {};
    const out = await execute(buildGraph(spec()), { cache });
    assert.deepEqual(executed(), ["a", "b", "c", "d", "e"]);
    assert.equal((out.a as OWithNote).note, "n");
  });

  it("never shares entries between two node classes with equal outputs", async () => {
    await execute(buildGraph({ p: { node: "Add", inputs: { x: 1, y: 1 } } }), { cache });
    runs = {};
    await execute(buildGraph({ q: { node: "Twin", inputs: { x: 1, y: 1 } } }), { cache });
    assert.deepEqual(executed(), ["q"]);
  });

  it("runs equal hashes once per run (single-flight), even without a cache", async () => {
    const out = await execute(
      buildGraph({ p: { node: "Add", inputs: { x: 1, y: 1 } }, q: { node: "Add", inputs: { x: 1, y: 1 } } }),
    );
    assert.equal(
      Object.values(runs).reduce((a, b) => a + b, 0),
      1,
    );
    assert.equal((out.p as O).o, 2);
    assert.equal((out.q as O).o, 2);
    assert.notEqual(out.p, out.q, "each node gets its own output object");
  });

  it("with targets, a cached target's ancestors are neither run nor read", async () => {
    await execute(buildGraph(spec()), { cache });
    runs = {};
    cache.gets = 0;
    const events: string[] = [];
    const out = await execute(buildGraph(spec()), {
      cache,
      targets: ["d"],
      onEvent: (e) => events.push(`${e.type}${e.node ? ` ${e.node}` : ""}`),
    });
    assert.deepEqual(Object.keys(out), ["d"]);
    assert.equal((out.d as O).o, 1 + 2 + 14 + 1);
    assert.equal(cache.gets, 1, "one cache read: the target");
    assert.deepEqual(executed(), []);
    assert.ok(!events.some((e) => /node:start [abc]$/.test(e)));
  });

  it("with targets, walks back only as far as the first cached ancestors", async () => {
    await execute(buildGraph(spec()), { cache, targets: ["c"] });
    const changed = spec();
    changed.d!.inputs.y = 2;
    runs = {};
    cache.gets = 0;
    const out = await execute(buildGraph(changed), { cache, targets: ["d"] });
    assert.deepEqual(executed(), ["d"]);
    assert.equal(cache.gets, 2, "d (miss) and c (hit); a and b are not read");
    assert.equal((out.d as O).o, 19);
  });

  it("with every target cached, streams them as cached results between run:start and run:done", async () => {
    await execute(buildGraph(spec()), { cache });
    runs = {};
    cache.gets = 0;
    const events: string[] = [];
    const results: [string, string][] = [];
    for await (const r of executeStream(buildGraph(spec()), {
      cache,
      targets: ["d", "e"],
      onEvent: (e) => events.push(`${e.type}${e.node ? ` ${e.node}` : ""}`),
    })) {
      results.push([r.node, r.status]);
    }
    assert.deepEqual(results, [
      ["d", "cached"],
      ["e", "cached"],
    ]);
    assert.equal(cache.gets, 2);
    assert.equal(events[0], "run:start");
    assert.equal(events.at(-1), "run:done");
    assert.ok(events.includes("cache:hit d") && events.includes("node:done e"));
    assert.deepEqual(executed(), []);
  });

  it("aborts promptly while looking the targets up in a cache that hangs", async () => {
    const hanging = new (class extends CacheProvider {
      override get(): Promise<Uint8Array | undefined> {
        return new Promise(() => {});
      }
    })();
    const controller = new AbortController();
    const running = execute(buildGraph(spec()), {
      cache: hanging,
      cacheTimeoutMs: 60_000,
      targets: ["d"],
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error("stop")), 20);
    await assert.rejects(running, /Execution aborted: stop/);
    assert.deepEqual(executed(), []);
  });

  it("resolves only after its cache writes have finished", async () => {
    class SlowWrites extends MemoryCacheProvider {
      override async set(key: string, value: Uint8Array) {
        await new Promise((r) => setTimeout(r, 30));
        return super.set(key, value);
      }
    }
    const slow = new SlowWrites();
    const graph = buildGraph(spec());
    await execute(graph, { cache: slow });
    for (const name of graph.order) assert.ok(await slow.has(graph.hashOf(name)), name);
  });
});

describe("executor + cache: a cache never breaks a run", () => {
  beforeEach(() => {
    define();
    runs = {};
  });

  const expected = { a: 3, b: 14, c: 17, d: 18, e: 24 };
  const outputsOf = (out: Record<string, object>) =>
    Object.fromEntries(Object.entries(out).map(([k, v]) => [k, (v as O).o]));

  const faulty: [string, () => CacheProvider][] = [
    [
      "get/set/has throw",
      () =>
        new (class extends CacheProvider {
          override async get(): Promise<Uint8Array | undefined> {
            throw new Error("disk on fire");
          }
          override async set(): Promise<void> {
            throw new Error("disk on fire");
          }
          override async has(): Promise<boolean> {
            throw new Error("disk on fire");
          }
        })(),
    ],
    [
      "get hangs forever",
      () =>
        new (class extends CacheProvider {
          override get(): Promise<Uint8Array | undefined> {
            return new Promise(() => {});
          }
          override set(): Promise<void> {
            return new Promise(() => {});
          }
        })(),
    ],
    [
      "get returns garbage",
      () =>
        new (class extends CacheProvider {
          override async get() {
            return new Uint8Array([1, 2, 3, 4, 5, 6, 7]);
          }
        })(),
    ],
    [
      "get returns another node's valid entry",
      () => {
        const memory = new MemoryCacheProvider();
        let first: Uint8Array | undefined;
        return new (class extends CacheProvider {
          override async get() {
            return first;
          }
          override async set(key: string, value: Uint8Array) {
            first ??= value;
            await memory.set(key, value);
          }
        })();
      },
    ],
  ];
  for (const [what, make] of faulty) {
    it(`completes with correct outputs and cache:error events when ${what}`, async () => {
      const provider = make();
      const events: ExecutionEvent[] = [];
      await execute(buildGraph(spec()), {
        cache: provider,
        cacheTimeoutMs: 50,
        onEvent: (e) => events.push(e),
      });
      runs = {};
      const out = await execute(buildGraph(spec()), {
        cache: provider,
        cacheTimeoutMs: 50,
        onEvent: (e) => events.push(e),
      });
      assert.deepEqual(outputsOf(out), expected);
      assert.deepEqual(
        executed(),
        what === "get returns another node's valid entry" ? ["b", "c", "d", "e"] : ["a", "b", "c", "d", "e"],
      );
      const errors = events.filter((e) => e.type === "cache:error");
      assert.ok(errors.length > 0);
      for (const e of errors) {
        assert.ok(e.node && e.hash && e.error instanceof Error);
      }
    });
  }

  describe("file cache", () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "moirae-exec-cache-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const entryFiles = () =>
      fs
        .readdirSync(dir)
        .filter((d) => /^[0-9a-f]{2}$/.test(d))
        .flatMap((d) => fs.readdirSync(path.join(dir, d)).map((f) => path.join(dir, d, f)));

    it("treats truncated and garbage entries as misses, with events, and rewrites them", async () => {
      const cache = new FileCacheProvider({ dir });
      await execute(buildGraph(spec()), { cache });
      const files = entryFiles();
      assert.equal(files.length, 5);
      fs.truncateSync(files[0]!, 20);
      fs.writeFileSync(files[1]!, "garbage");
      runs = {};
      const errors: ExecutionEvent[] = [];
      const out = await execute(buildGraph(spec()), {
        cache,
        onEvent: (e) => e.type === "cache:error" && errors.push(e),
      });
      assert.deepEqual(outputsOf(out), expected);
      assert.equal(errors.length, 2);
      assert.equal(Object.keys(runs).length, 2);
      runs = {};
      await execute(buildGraph(spec()), { cache });
      assert.deepEqual(executed(), [], "the broken entries were rewritten");
    });

    it("survives its directory being removed mid-run", async () => {
      const cache = new FileCacheProvider({ dir });
      const events: string[] = [];
      const out = await execute(buildGraph(spec()), {
        cache,
        onEvent: (e) => {
          events.push(e.type);
          if (e.type === "node:done" && e.node === "a") fs.rmSync(dir, { recursive: true, force: true });
        },
      });
      assert.deepEqual(outputsOf(out), expected);
    });
  });
});

describe("executor + cache through DI", () => {
  beforeEach(() => {
    define();
    runs = {};
  });

  it("uses the CacheProvider registered in a child container, for runs resolved from it only", async () => {
    const child = container.createChildContainer();
    const memory = new MemoryCacheProvider();
    child.register(CacheProvider, { useValue: memory });
    await execute(buildGraph(spec()), { container: child });
    assert.equal(memory.stats().entries, 5);
    runs = {};
    await execute(buildGraph(spec()), { container: child });
    assert.deepEqual(executed(), []);
    runs = {};
    await execute(buildGraph(spec()));
    assert.deepEqual(executed(), ["a", "b", "c", "d", "e"], "the root container still caches nothing");
    assert.equal(container.isRegistered(CacheProvider), false);
  });

  it("resolves a custom provider class with its own injected dependencies", async () => {
    @injectable()
    class Store {
      readonly map = new Map<string, Uint8Array>();
    }
    @injectable()
    class StoreCache extends CacheProvider {
      constructor(@inject(Store) private readonly store: Store) {
        super();
      }
      override async get(key: string) {
        return this.store.map.get(key);
      }
      override async set(key: string, value: Uint8Array) {
        this.store.map.set(key, value);
      }
    }
    const child = container.createChildContainer();
    const store = new Store();
    child.register(Store, { useValue: store });
    child.register(CacheProvider, { useClass: StoreCache });
    await child.resolve(Executor).run(buildGraph(spec()), { container: child });
    assert.equal(store.map.size, 5);
  });

  it("options.cache wins over the container's provider", async () => {
    const child = container.createChildContainer();
    const registered = new MemoryCacheProvider();
    const given = new MemoryCacheProvider();
    child.register(CacheProvider, { useValue: registered });
    await execute(buildGraph(spec()), { container: child, cache: given });
    assert.equal(registered.stats().entries, 0);
    assert.equal(given.stats().entries, 5);
  });
});
