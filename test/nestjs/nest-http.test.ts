import "reflect-metadata";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Controller, Get, type INestApplication, Module } from "@nestjs/common";
import { APP_FILTER } from "@nestjs/core";
import { Test } from "@nestjs/testing";
import { AppModule } from "../../samples/nestjs/app.module";
import { PriceLine } from "../../samples/nestjs/nodes";
import { PriceRepository } from "../../samples/nestjs/price-repository";
import { CacheProvider, Executor, GraphBuilder, MemoryCacheProvider, runNode } from "../../src/index";
import { MoiraeExceptionFilter, MoiraeModule } from "../../src/nestjs/index";
import { GreetingModule } from "./fixtures";

const order = {
  apples: { node: "PriceLine", inputs: { sku: "apple", quantity: 3 } },
  bread: { node: "PriceLine", arguments: { discountPercent: 10 }, inputs: { sku: "bread", quantity: 1 } },
  total: { node: "Sum", inputs: { a: "${apples.cents}", b: "${bread.cents}" } },
};

function post(base: string, path: string, body: unknown): Promise<Response> {
  return fetch(base + path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("the Nest sample over HTTP (memory cache)", () => {
  let nest: INestApplication;
  let base: string;

  before(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(CacheProvider)
      .useValue(new MemoryCacheProvider())
      .compile();
    nest = moduleRef.createNestApplication({ logger: false });
    await nest.listen(0, "127.0.0.1");
    base = await nest.getUrl();
  });
  after(() => nest.close());

  it("runs a graph from a JSON body and answers its outputs as JSON", async () => {
    const response = await post(base, "/workflows/run", order);
    assert.equal(response.status, 201);
    // apples: 3 × 40 + 10 % tax = 132; bread: 250 + 10 % tax = 275, less 10 % = 248
    assert.deepEqual(await response.json(), {
      apples: { cents: 132 },
      bread: { cents: 248 },
      total: { cents: 380 },
    });
  });

  it("streams one NDJSON line per node; the second run comes from the cache", async () => {
    const response = await post(base, "/workflows/stream", order);
    assert.equal(response.headers.get("content-type"), "application/x-ndjson");
    const lines = (await response.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    assert.deepEqual(lines.map((l) => l.node).sort(), ["apples", "bread", "total"]);
    assert.ok(lines.every((l) => l.status === "cached"));
    assert.deepEqual(lines.find((l) => l.node === "total").output, { cents: 380 });
  });

  it("gives two parallel nodes of one class their own arguments", async () => {
    const response = await post(base, "/workflows/run", {
      twenty: {
        node: "PriceLine",
        arguments: { discountPercent: 20 },
        inputs: { sku: "cheese", quantity: 1 },
      },
      thirty: {
        node: "PriceLine",
        arguments: { discountPercent: 30 },
        inputs: { sku: "cheese", quantity: 1 },
      },
    });
    // cheese: 720 + 10 % tax = 792
    assert.deepEqual(await response.json(), { twenty: { cents: 634 }, thirty: { cents: 554 } });
  });

  it("answers an invalid graph with 400 and every issue", async () => {
    const response = await post(base, "/workflows/run", {
      a: { node: "PriceLin", inputs: { sku: "apple", quantity: 1 } },
      b: { node: "PriceLine", arguments: { discountPercent: 101 }, inputs: { sku: "apple", quantity: 1 } },
    });
    assert.equal(response.status, 400);
    const body: any = await response.json();
    assert.equal(body.statusCode, 400);
    assert.equal(body.error, "GraphValidationError");
    assert.deepEqual(body.issues.map((i: { path: string }) => i.path).sort(), [
      "a.node",
      "b.arguments.discountPercent",
    ]);
    assert.match(body.message, /did you mean "PriceLine"/);
  });

  it("answers a failed node with 500 naming it; the stream reports it as a line", async () => {
    const spec = { x: { node: "PriceLine", inputs: { sku: "caviar", quantity: 1 } } };
    const response = await post(base, "/workflows/run", spec);
    assert.equal(response.status, 500);
    const body: any = await response.json();
    assert.deepEqual([body.statusCode, body.error, body.node], [500, "NodeExecutionError", "x"]);
    assert.match(body.message, /unknown SKU "caviar"/);
    const streamed = await (await post(base, "/workflows/stream", spec)).text();
    assert.equal(JSON.parse(streamed).status, "failed");
  });

  it("leaves other errors to Nest", async () => {
    const response = await post(base, "/workflows/nowhere", {});
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as any).message, "Cannot POST /workflows/nowhere");
  });
});

describe("request-scoped services in nodes, over HTTP", () => {
  @Controller("who")
  class WhoController {
    constructor(
      private readonly builder: GraphBuilder,
      private readonly executor: Executor,
    ) {}

    @Get()
    run(): Promise<Record<string, object>> {
      return this.executor.run(
        this.builder.build({ a: { node: "NestWhoAmI", inputs: {} }, b: { node: "NestWhoAmI", inputs: {} } }),
      );
    }
  }

  @Module({
    imports: [MoiraeModule.forRoot(), GreetingModule],
    controllers: [WhoController],
    providers: [{ provide: APP_FILTER, useClass: MoiraeExceptionFilter }],
  })
  class WhoModule {}

  it("gives each node the services of the request its run started in", async () => {
    const moduleRef = await Test.createTestingModule({ imports: [WhoModule] }).compile();
    const nest = moduleRef.createNestApplication({ logger: false });
    await nest.listen(0, "127.0.0.1");
    try {
      const base = await nest.getUrl();
      const ask = (caller: string) =>
        fetch(`${base}/who`, { headers: { "x-caller": caller } }).then((r) => r.json() as Promise<any>);
      const answers = await Promise.all(["alice", "bob", "carol", "dave"].map(ask));
      assert.deepEqual(
        answers.map((a) => [a.a.text, a.b.text]),
        [
          ["alice", "alice"],
          ["bob", "bob"],
          ["carol", "carol"],
          ["dave", "dave"],
        ],
      );
    } finally {
      await nest.close();
    }
  });
});

describe("docs/nestjs.md", () => {
  const page = readFileSync(join(__dirname, "..", "..", "..", "docs", "nestjs.md"), "utf8");

  it("shows the sample's files as they are", () => {
    const blocks = [...page.matchAll(/```ts\n\/\/ (samples\/nestjs\/[\w.-]+)\n([\s\S]*?)```/g)];
    assert.equal(blocks.length, 3);
    for (const [, file, code] of blocks) {
      const source = readFileSync(join(__dirname, "..", "..", "..", file!), "utf8");
      assert.ok(source.includes(code!), `docs/nestjs.md differs from ${file}`);
    }
  });

  it("its test examples work: an overridden repository reaches the nodes; runNode with a hand-made container", async () => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(CacheProvider)
      .useValue(new MemoryCacheProvider())
      .overrideProvider(PriceRepository)
      .useValue({ findUnitPrice: async () => 100 })
      .compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, "127.0.0.1");
    try {
      const response = await post(await app.getUrl(), "/workflows/run", {
        a: { node: "PriceLine", inputs: { sku: "anything", quantity: 2 } },
      });
      assert.deepEqual(await response.json(), { a: { cents: 220 } });
    } finally {
      await app.close();
    }
    const out = await runNode(
      PriceLine,
      { sku: "apple", quantity: 2 },
      {
        args: { discountPercent: 50 },
        container: { resolve: (cls) => new cls({ linePrice: async () => 200 }) },
      },
    );
    assert.equal(out.cents, 100);
  });
});
