import "reflect-metadata";
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Type } from "class-transformer";
import { IsArray, IsInt, IsNumber, ValidateNested } from "class-validator";
import { injectable, container as rootContainer } from "tsyringe";
import {
  buildGraph,
  execute,
  executeStream,
  Input,
  Node,
  NodeDispatcher,
  type NodeResult,
  type NodeTask,
  Output,
} from "../../src/index";
import { NoInput, O } from "../fixtures/data-classes";
import { deferred, flush, type StepInput, setup, watchUnhandledRejections } from "./helpers";

const unhandled = watchUnhandledRejections();
after(() => assert.deepEqual(unhandled.seen, [], "no unhandled rejection"));

describe("targets", () => {
  it("runs only the targets and their ancestors, and returns only the targets", async () => {
    const { graph, probe, container } = setup({
      a: {},
      b: { a: "a" },
      c: { a: "b" },
      unrelated: {},
      below: { a: "c" },
      side: { a: "a" },
    });
    const outputs = await execute(graph, { container, targets: ["c", "side"] });
    assert.deepEqual(probe.started.sort(), ["a", "b", "c", "side"]);
    assert.deepEqual(Object.keys(outputs).sort(), ["c", "side"]);
    assert.equal((outputs.c as O).o, 3);
  });

  it("streams every node that runs, with its output", async () => {
    const { graph, container } = setup({ a: {}, b: { a: "a" }, other: {} });
    const seen: NodeResult[] = [];
    for await (const r of executeStream(graph, { container, targets: ["b"] })) seen.push(r);
    assert.deepEqual(
      seen.map((r) => [r.node, (r.output as O).o]),
      [
        ["a", 1],
        ["b", 2],
      ],
    );
  });

  it('retain: "all" with targets returns every node that ran; retain: "targets" alone returns the sinks', async () => {
    const { graph, container } = setup({ a: {}, b: { a: "a" }, c: { a: "a" }, other: {} });
    const all = await execute(graph, { container, targets: ["b"], retain: "all" });
    assert.deepEqual(Object.keys(all).sort(), ["a", "b"]);
    const sinks = await execute(graph, { container, retain: "targets" });
    assert.deepEqual(Object.keys(sinks).sort(), ["b", "c", "other"]);
  });
});

/** Records a WeakRef to every output the default dispatcher returns, and lets the test look at them mid-run. */
@injectable()
class WatchingDispatcher extends NodeDispatcher {
  static outputs = new Map<string, WeakRef<object>>();
  static onDispatch: ((task: NodeTask) => void) | undefined;
  override async dispatch(task: NodeTask): Promise<object> {
    WatchingDispatcher.onDispatch?.(task);
    const output = await super.dispatch(task);
    WatchingDispatcher.outputs.set(task.name, new WeakRef(output));
    return output;
  }
}

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

describe("releasing intermediate outputs", () => {
  /** Which outputs are still reachable while n5 runs: n0 -> n1 -> … -> n5, and side(n1, gate) waits. */
  async function aliveWhileLastRuns(options: object): Promise<Record<string, boolean>> {
    const names = ["n0", "n1", "n2", "n3", "n4", "n5"];
    const nodes: Record<string, Record<string, string>> = {};
    names.forEach((n, i) => {
      nodes[n] = i === 0 ? {} : { a: names[i - 1]! };
    });
    const { graph, probe, container } = setup({ ...nodes, gate: {}, side: { a: "n1", b: "gate" } });
    container.register(NodeDispatcher, { useClass: WatchingDispatcher });
    WatchingDispatcher.outputs.clear();
    const last = probe.hold("n5");
    const gate = probe.hold("gate");
    const alive = deferred<Record<string, boolean>>();
    WatchingDispatcher.onDispatch = (task) => {
      if (task.name !== "n5") return;
      // in a later turn, so that the WeakRefs made in earlier jobs no longer pin their targets
      setImmediate(() => {
        gc();
        const state: Record<string, boolean> = {};
        for (const [name, ref] of WatchingDispatcher.outputs) state[name] = ref.deref() !== undefined;
        alive.resolve(state);
        last.resolve(undefined);
        gate.resolve(undefined);
      });
    };
    const running = execute(graph, { container, ...options });
    const state = await alive.promise;
    await running;
    WatchingDispatcher.onDispatch = undefined;
    return state;
  }

  it("with targets, drops each output once every dependent has its input", async () => {
    const state = await aliveWhileLastRuns({ targets: ["n5", "side"] });
    assert.deepEqual(state, { n0: false, n1: true, n2: false, n3: false, n4: false });
  });

  it("by default keeps every output for the result", async () => {
    const state = await aliveWhileLastRuns({});
    assert.deepEqual(state, { n0: true, n1: true, n2: true, n3: true, n4: true });
  });
});

@Output()
class ListOutput {
  @IsArray() @IsNumber({}, { each: true }) items!: number[];
}

@Input()
class ListInput {
  @IsArray() @IsNumber({}, { each: true }) items!: number[];
}

class Point {
  @IsNumber() x!: number;
}

@Output()
class PointOutput {
  @ValidateNested() @Type(() => Point) point!: Point;
}

let kept: number[] | undefined;
const released = deferred();

@Node({ input: NoInput, output: ListOutput })
class MakeList {
  async execute(): Promise<ListOutput> {
    kept = [1, 2, 3];
    // mutate the returned array once dependents are running
    void released.promise.then(() => kept!.push(-1));
    return { items: kept };
  }
}

const seenBySiblings: number[][] = [];

@Node({ input: ListInput, output: ListOutput })
class PushToInput {
  @IsInt() tag = 0; // m1 and m2 differ only by it: equal hashes would share one execution
  async execute(input: ListInput): Promise<ListOutput> {
    seenBySiblings.push([...input.items]);
    input.items.push(99);
    return { items: input.items };
  }
}

@Node({ input: NoInput, output: PointOutput })
class MakePoint {
  execute(): PointOutput {
    return { point: { x: 1 } };
  }
}

describe("isolation", () => {
  it("a node mutating its input or its returned output affects no other node and not the result", async () => {
    const graph = buildGraph({
      source: { node: MakeList, inputs: {} },
      m1: { node: PushToInput, inputs: { items: "${source.items}" } },
      m2: { node: PushToInput, arguments: { tag: 2 }, inputs: { items: "${source.items}" } },
      m3: { node: PushToInput, inputs: { items: "${m1.items}" } },
    });
    const results: NodeResult[] = [];
    for await (const r of executeStream(graph)) {
      results.push(r);
      if (r.node === "source") released.resolve();
    }
    assert.deepEqual(seenBySiblings.slice(0, 2), [
      [1, 2, 3],
      [1, 2, 3],
    ]);
    assert.deepEqual(seenBySiblings[2], [1, 2, 3, 99]);
    const source = results.find((r) => r.node === "source")!.output as ListOutput;
    assert.deepEqual(source.items, [1, 2, 3]);
    assert.deepEqual(kept, [1, 2, 3, -1], "the node did mutate what it returned");
    const m3 = results.find((r) => r.node === "m3")!.output as ListOutput;
    assert.deepEqual(m3.items, [1, 2, 3, 99, 99]);

    const outputs = await execute(buildGraph({ p: { node: MakePoint, inputs: {} } }));
    assert.ok((outputs.p as PointOutput).point instanceof Point);
  });

  it("a node reassigning fields of its input affects no sibling (primitive fast path)", async () => {
    const { graph, probe, container } = setup({ a: { a: 5 }, b: { a: "a" }, c: { a: "a" } });
    probe.on("b", (input: StepInput) => {
      input.a = 1000;
      return { o: 0 };
    });
    const outputs = await execute(graph, { container });
    assert.equal(probe.inputs.get("c")![0]!.a, 6);
    assert.equal((outputs.c as O).o, 7);
    assert.equal((outputs.a as O).o, 6);
  });

  it("a node mutating an argument affects no other node and no later run", async () => {
    @Input()
    class Seed {
      @IsInt() n!: number;
    }
    @Output()
    class Count {
      @IsInt() size!: number;
    }
    @Node({ input: Seed, output: Count, name: "PushArgument" })
    class PushArgument {
      @IsArray() items: number[] = [];
      async execute(input: Seed): Promise<Count> {
        this.items.push(input.n);
        return { size: this.items.length };
      }
    }
    void PushArgument;
    const spec = {
      p: { node: "PushArgument", arguments: { items: [0] }, inputs: { n: 1 } },
      q: { node: "PushArgument", arguments: { items: [0] }, inputs: { n: 2 } },
    };
    const graph = buildGraph(spec);
    for (let run = 0; run < 2; run++) {
      const outputs = await execute(graph);
      assert.deepEqual([(outputs.p as Count).size, (outputs.q as Count).size], [2, 2]);
    }
    assert.deepEqual(graph.nodes.get("p")!.arguments.items, [0]);
  });
});

describe("equal hashes in one run (single-flight)", () => {
  it("runs one of them; the other gets a copy of its output", async () => {
    const child = rootContainer.createChildContainer();
    const { graph, probe, container } = setup({ a: {} });
    void child;
    const twins = buildGraph(
      {
        x: { node: "Step", arguments: { id: "same" }, inputs: { a: 1 } },
        y: { node: "Step", arguments: { id: "same" }, inputs: { a: 1 } },
        z: { node: "Step", arguments: { id: "z" }, inputs: { a: "${x.o}", b: "${y.o}" } },
      },
      { container },
    );
    void graph;
    assert.equal(twins.hashOf("x"), twins.hashOf("y"));
    const results: NodeResult[] = [];
    for await (const r of executeStream(twins, { container })) results.push(r);
    const byNode = Object.fromEntries(results.map((r) => [r.node, r]));
    assert.equal(probe.started.filter((n) => n === "x" || n === "y").length, 1);
    const statuses = [byNode.x!.status, byNode.y!.status].sort();
    assert.deepEqual(statuses, ["cached", "done"]);
    assert.deepEqual({ ...byNode.x!.output }, { o: 2 });
    assert.deepEqual({ ...byNode.y!.output }, { o: 2 });
    assert.notEqual(byNode.x!.output, byNode.y!.output);
    assert.deepEqual({ ...byNode.z!.output }, { o: 5 });
    await flush();
  });
});
