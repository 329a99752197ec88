import "reflect-metadata";
import { IsNumber, IsOptional, IsString } from "class-validator";
import { container, type DependencyContainer, inject, injectable } from "tsyringe";
import {
  buildGraph,
  type ExecutionEvent,
  type Graph,
  type GraphSpec,
  Input,
  Node,
  type NodeContext,
} from "../../src/index";
import { O } from "../fixtures/data-classes";

/** A promise with its resolve/reject, settled by the test. */
export interface Deferred<T = void> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets pending promise callbacks (and timers due now) run. */
export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

@Input()
export class StepInput {
  @IsOptional() @IsNumber() a?: number;
  @IsOptional() @IsNumber() b?: number;
  @IsOptional() @IsNumber() c?: number;
}

type Behaviour = (input: StepInput, ctx: NodeContext) => unknown;

/**
 * What `Step` nodes do, controlled by the test: per node name a behaviour (default: o = 1 + a + b + c) and a
 * record of starts, ends, concurrency and contexts.
 */
@injectable()
export class Probe {
  running = 0;
  maxRunning = 0;
  readonly started: string[] = [];
  readonly ended: string[] = [];
  readonly contexts = new Map<string, NodeContext[]>();
  readonly inputs = new Map<string, StepInput[]>();
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly gates = new Map<string, Deferred<number | undefined>>();

  /** Sets what node `name` does. */
  on(name: string, behaviour: Behaviour): this {
    this.behaviours.set(name, behaviour);
    return this;
  }

  /** Makes node `name` wait until the test opens its gate (`gate.resolve(o?)`). */
  hold(name: string): Deferred<number | undefined> {
    const gate = deferred<number | undefined>();
    this.gates.set(name, gate);
    return gate;
  }

  async execute(input: StepInput, ctx: NodeContext): Promise<unknown> {
    this.started.push(ctx.name);
    push(this.contexts, ctx.name, ctx);
    push(this.inputs, ctx.name, input);
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      const sum = 1 + (input.a ?? 0) + (input.b ?? 0) + (input.c ?? 0);
      const gate = this.gates.get(ctx.name);
      if (gate) {
        const o = await gate.promise;
        return { o: o ?? sum };
      }
      const behaviour = this.behaviours.get(ctx.name);
      return behaviour ? await behaviour(input, ctx) : { o: sum };
    } finally {
      this.running--;
      this.ended.push(ctx.name);
    }
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The test node: o = 1 + a + b + c, or what its `Probe` says. `id` keeps equal-looking nodes' hashes apart. */
@Node({ input: StepInput, output: O })
export class Step {
  @IsOptional() @IsString() id?: string;

  constructor(@inject(Probe) private readonly probe: Probe) {}

  execute(input: StepInput, ctx: NodeContext): Promise<unknown> {
    return this.probe.execute(input, ctx);
  }
}

/** A node spec's inputs: a number is a literal, a string `"x"` is a reference to `${x.o}`. */
export type StepInputs = Partial<Record<"a" | "b" | "c", number | string>>;

/** A fresh child container with a fresh `Probe`, and a graph of `Step` nodes (each with its own `id`). */
export function setup(nodes: Record<string, StepInputs>): {
  graph: Graph;
  probe: Probe;
  container: DependencyContainer;
} {
  const child = container.createChildContainer();
  const probe = new Probe();
  child.register(Probe, { useValue: probe });
  const spec: GraphSpec = {};
  for (const [name, inputs] of Object.entries(nodes)) {
    const resolved: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(inputs)) {
      resolved[field] = typeof value === "string" ? `\${${value}.o}` : value;
    }
    spec[name] = { node: Step, arguments: { id: name }, inputs: resolved };
  }
  return { graph: buildGraph(spec, { container: child }), probe, container: child };
}

/** Records every event; `types(node)` lists one node's event types in order. */
export class EventLog {
  readonly events: ExecutionEvent[] = [];
  readonly onEvent = (event: ExecutionEvent): void => {
    this.events.push(event);
  };

  types(node?: string): string[] {
    return this.events.filter((e) => e.node === node).map((e) => e.type);
  }

  /** Node names of the events of `type`, in order. */
  nodes(type: ExecutionEvent["type"]): string[] {
    return this.events.filter((e) => e.type === type).map((e) => e.node!);
  }

  index(type: ExecutionEvent["type"], node: string): number {
    return this.events.findIndex((e) => e.type === type && e.node === node);
  }
}

/** Collects unhandled rejections while a test file runs; `check()` fails if there was one. */
export function watchUnhandledRejections(): { readonly seen: unknown[] } {
  const seen: unknown[] = [];
  process.on("unhandledRejection", (reason) => {
    seen.push(reason);
  });
  return { seen };
}
