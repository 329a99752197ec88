import "reflect-metadata";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Injectable, Module } from "@nestjs/common";
import { Test } from "@nestjs/testing";
import {
  CacheProvider,
  Executor,
  GraphBuilder,
  MemoryCacheProvider,
  NodeExecutionError,
  type NodeResult,
  runNode,
} from "../../src/index";
import { MoiraeModule, NodeDependencyError } from "../../src/nestjs/index";
import type { Text, Value } from "../fixtures/data-classes";
import { BrokenModule, Counter, GreetingModule, GreetingRunner, NestEcho } from "./fixtures";

/** A cache that records whether it was closed. */
class RecordingCache extends MemoryCacheProvider {
  closed = false;
  override async close(): Promise<void> {
    this.closed = true;
  }
}

async function app(imports: unknown[], configure?: (b: ReturnType<typeof Test.createTestingModule>) => void) {
  const builder = Test.createTestingModule({ imports: imports as never[] });
  configure?.(builder);
  const moduleRef = await builder.compile();
  const nest = moduleRef.createNestApplication({ logger: false });
  await nest.init();
  return nest;
}

const greet = { g: { node: "NestGreet", arguments: { name: "moirae" }, inputs: {} } };

describe("MoiraeModule", () => {
  it("provides Executor, GraphBuilder and the very CacheProvider given to forRoot; runs use Nest's services", async () => {
    const cache = new RecordingCache();
    const nest = await app([MoiraeModule.forRoot({ cache }), GreetingModule]);
    try {
      assert.equal(nest.get(CacheProvider), cache);
      const executor = nest.get(Executor);
      assert.ok(executor instanceof Executor);
      const graph = nest.get(GraphBuilder).build(greet);
      const outputs = await executor.run(graph);
      assert.equal((outputs.g as Text).text, "Hello, moirae #1 (hidden)");
      assert.equal(nest.get(Counter).count, 1, "the node used the app's Counter, not a second one");
      assert.equal(await nest.get(GreetingRunner).greet("feature"), "Hello, feature #2 (hidden)");
      const results: NodeResult[] = [];
      for await (const r of executor.stream(graph)) results.push(r);
      assert.equal(results[0]!.status, "cached", "the forRoot cache reaches every run");
    } finally {
      await nest.close();
    }
    assert.equal(cache.closed, true, "app.close() closes the cache");
  });

  it("forRootAsync takes its options from a factory with injected providers", async () => {
    const cache = new RecordingCache();
    @Injectable()
    class Config {
      readonly cache = cache;
    }
    @Module({ providers: [Config], exports: [Config] })
    class ConfigModule {}
    const nest = await app([
      MoiraeModule.forRootAsync({
        imports: [ConfigModule],
        inject: [Config],
        useFactory: (config: Config) => ({ cache: config.cache, defaults: { retries: 1 } }),
      }),
      GreetingModule,
    ]);
    try {
      assert.equal(nest.get(CacheProvider), cache);
    } finally {
      await nest.close();
    }
    assert.equal(cache.closed, true);
  });

  it("overrideProvider reaches every run (the cache) and every node (a service)", async () => {
    const memory = new MemoryCacheProvider();
    const nest = await app([MoiraeModule.forRoot(), GreetingModule], (b) => {
      b.overrideProvider(CacheProvider).useValue(memory);
      b.overrideProvider(Counter).useValue({ next: () => 42 });
    });
    try {
      const outputs = await nest.get(Executor).run(nest.get(GraphBuilder).build(greet));
      assert.equal((outputs.g as Text).text, "Hello, moirae #42 (hidden)");
      assert.equal(await memory.has(nest.get(GraphBuilder).build(greet).hashOf("g")), true);
    } finally {
      await nest.close();
    }
  });

  it("gives two parallel nodes of one class their own arguments (a fresh instance per try)", async () => {
    const nest = await app([MoiraeModule.forRoot(), GreetingModule]);
    try {
      const graph = nest.get(GraphBuilder).build({
        twenty: { node: "NestEcho", arguments: { value: 20 }, inputs: {} },
        thirty: { node: "NestEcho", arguments: { value: 30 }, inputs: {} },
      });
      const outputs = await nest.get(Executor).run(graph);
      assert.equal((outputs.twenty as Value).value, 20);
      assert.equal((outputs.thirty as Value).value, 30);
    } finally {
      await nest.close();
    }
  });

  it("gives a node listed in no forFeature the root module's providers", async () => {
    const counter = new Counter();
    counter.count = 100;
    const moduleRef = await Test.createTestingModule({
      imports: [MoiraeModule.forRoot()],
      providers: [{ provide: Counter, useValue: counter }],
    }).compile();
    const nest = moduleRef.createNestApplication({ logger: false });
    await nest.init();
    try {
      const graph = nest.get(GraphBuilder).build({ c: { node: "NestCountUnlisted", inputs: {} } });
      assert.equal(((await nest.get(Executor).run(graph)).c as Value).value, 101);
    } finally {
      await nest.close();
    }
  });

  it("applies defaults, which a run's own options override", async () => {
    let tries = 0;
    const nest = await app([MoiraeModule.forRoot({ defaults: { retries: 1 } }), GreetingModule], (b) =>
      b.overrideProvider(Counter).useValue({
        next: () => {
          tries++;
          if (tries % 2 === 1) throw new Error("flaky");
          return tries;
        },
      }),
    );
    try {
      const graph = nest.get(GraphBuilder).build(greet);
      const outputs = await nest.get(Executor).run(graph);
      assert.equal((outputs.g as Text).text, "Hello, moirae #2 (hidden)");
      await assert.rejects(nest.get(Executor).run(graph, { retries: 0 }), NodeExecutionError);
    } finally {
      await nest.close();
    }
  });

  it("checks every forFeature node's services at start-up and reports all that fail in one error", async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [MoiraeModule.forRoot(), BrokenModule],
    }).compile();
    const nest = moduleRef.createNestApplication({ logger: false });
    const error = await nest.init().then(
      () => assert.fail("start-up must fail"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof NodeDependencyError, String(error));
    assert.deepEqual(
      error.nodes.map((n) => [n.nodeClass, n.module]),
      [
        ["NeedsMissing", "BrokenModule"],
        ["NeedsAlsoMissing", "BrokenModule"],
      ],
    );
    assert.match(error.message, /NeedsMissing[\s\S]*Missing[\s\S]*NeedsAlsoMissing[\s\S]*AlsoMissing/);
    await nest.close();
  });

  it("leaves runNode as it was: a node alone, its services from a tsyringe container", async () => {
    const { container } = await import("tsyringe");
    const child = container.createChildContainer();
    const fake = { count: 0, next: () => 1 };
    child.register(Counter, { useValue: fake });
    const out = await runNode(NestEcho, {}, { args: { value: 5 }, container: child });
    assert.equal(out.value, 5);
    const node = child.resolve(NestEcho);
    assert.equal(node.counter, fake);
  });
});
