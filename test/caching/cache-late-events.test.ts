// Regression tests of issue 12 #8 and #9: cache writes that fail after the last node are still reported, and no
// cache operation (nor its timer) outlives an aborted run.
import "reflect-metadata";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { IsNumber } from "class-validator";
import {
  buildGraph,
  CacheProvider,
  ExecutionAbortedError,
  type ExecutionEvent,
  execute,
  executeStream,
  MemoryCacheProvider,
  Node,
  Output,
} from "../../src/index";
import { NoInput } from "../fixtures/data-classes";

@Output()
class Big {
  @IsNumber({}, { each: true }) values!: number[];
}

@Node({ name: "LateEventsBig", input: NoInput, output: Big })
class MakeBig {
  @IsNumber() seed = 0;
  execute(): Big {
    return { values: Array.from({ length: 100 }, (_, k) => k + this.seed) };
  }
}

const graph = () =>
  buildGraph({ a: { node: MakeBig, inputs: {} }, b: { node: MakeBig, arguments: { seed: 1 }, inputs: {} } });

class FailingWrites extends CacheProvider {
  override async get(): Promise<Uint8Array | undefined> {
    return undefined;
  }
  override async set(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    throw new Error("disk full");
  }
}

class Hanging extends CacheProvider {
  constructor(private readonly hangOn: "get" | "set") {
    super();
  }
  override get(): Promise<Uint8Array | undefined> {
    return this.hangOn === "get" ? new Promise(() => {}) : Promise.resolve(undefined);
  }
  override set(): Promise<void> {
    return new Promise(() => {});
  }
}

/** Timers alive in this process now (a leaked cache timer shows up here). */
const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

describe("failed cache writes after the last node (issue 12 #8)", () => {
  const providers: [string, () => CacheProvider][] = [
    ["a provider whose writes fail", () => new FailingWrites()],
    [
      "MemoryCacheProvider({ maxBytes: 10 }) refusing entries too large",
      () => new MemoryCacheProvider({ maxBytes: 10 }),
    ],
  ];
  for (const [what, make] of providers) {
    it(`reports cache:error before run:done with ${what} (execute and executeStream)`, async () => {
      for (const stream of [false, true]) {
        const events: ExecutionEvent[] = [];
        const options = { cache: make(), onEvent: (e: ExecutionEvent) => events.push(e) };
        if (stream) for await (const _ of executeStream(graph(), options));
        else await execute(graph(), options);
        const types = events.map((e) => `${e.type}${e.node ? ` ${e.node}` : ""}`);
        assert.equal(types.at(-1), "run:done");
        assert.deepEqual(types.filter((t) => t.startsWith("cache:error")).sort(), [
          "cache:error a",
          "cache:error b",
        ]);
        for (const e of events.filter((e) => e.type === "cache:error")) assert.ok(e.error instanceof Error);
      }
    });
  }

  it("an onEvent listener throwing on such a late event fails the run", async () => {
    const error = await execute(graph(), {
      cache: new FailingWrites(),
      onEvent: (e) => {
        if (e.type === "cache:error") throw new Error("listener broke");
      },
    }).catch((e) => e);
    assert.equal(error?.message, "listener broke");
  });
});

describe("no cache operation outlives an aborted run (issue 12 #9)", () => {
  for (const hangOn of ["get", "set"] as const) {
    for (const targets of [undefined, ["b"]]) {
      it(`abort while ${hangOn}() never answers${targets ? " (with targets)" : ""}: ExecutionAbortedError at once, no timer left`, async () => {
        const before = timers();
        const controller = new AbortController();
        const running = execute(graph(), {
          cache: new Hanging(hangOn),
          cacheTimeoutMs: 60_000,
          signal: controller.signal,
          targets,
        });
        await new Promise((resolve) => setImmediate(resolve));
        await new Promise((resolve) => setImmediate(resolve));
        controller.abort("stop");
        const error = await running.catch((e) => e);
        assert.ok(error instanceof ExecutionAbortedError, String(error));
        assert.equal(timers(), before, "the cache timers were cleared");
      });
    }
  }

  it("a stream left early while its writes hang settles without waiting for them", async () => {
    const before = timers();
    const stream = executeStream(graph(), { cache: new Hanging("set"), cacheTimeoutMs: 60_000 });
    for await (const _ of stream) break;
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(timers(), before, "the cache timers were cleared");
  });
});
