import "reflect-metadata";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, it } from "node:test";
import { container } from "tsyringe";
import * as moirae from "../../src/index";
import { runNode } from "../../src/index";
import { AddMul, Clock, ReadClock } from "../fixtures/nodes";

describe("dependency injection", () => {
  it("a node's constructor service can be replaced in a child container, leaving the root untouched", async () => {
    const child = container.createChildContainer();
    child.register(Clock, { useValue: { now: () => 42 } });
    assert.equal((await runNode(ReadClock, {}, { container: child })).time, 42);

    const real = (await runNode(ReadClock, {})).time;
    assert.notEqual(real, 42);
    assert.ok(Math.abs(real - Date.now()) < 60_000);
    assert.equal(container.isRegistered(Clock), false);
  });

  it("two child containers keep their own fakes", async () => {
    const a = container.createChildContainer();
    const b = container.createChildContainer();
    a.register(Clock, { useValue: { now: () => 1 } });
    b.register(Clock, { useValue: { now: () => 2 } });
    const [ta, tb] = await Promise.all([
      runNode(ReadClock, {}, { container: a }),
      runNode(ReadClock, {}, { container: b }),
    ]);
    assert.deepEqual([ta.time, tb.time], [1, 2]);
  });

  it("importing moirae and defining nodes registers nothing in the global container", () => {
    void AddMul;
    for (const [name, value] of Object.entries(moirae)) {
      if (typeof value === "function") assert.equal(container.isRegistered(value as never), false, name);
    }
    assert.equal(container.isRegistered(AddMul), false);
    assert.equal(container.isRegistered(ReadClock), false);
  });
});

describe("a consumer that never imports reflect-metadata", () => {
  it("defines and runs a node in a fresh process", () => {
    const script = path.join(__dirname, "..", "fixtures", "consumer.js");
    const out = execFileSync(process.execPath, [script], { encoding: "utf8" });
    assert.deepEqual(JSON.parse(out), { o: 9, type: "Number", registered: ["Triple"] });
  });
});
