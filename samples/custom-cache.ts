// Writing a cache provider: a CacheProvider subclass over a key-value service of its own, injected by tsyringe,
// and registered in a child container so only runs resolved from that child use it.
// Run with: npm run sample -- samples/custom-cache.ts
import "reflect-metadata"; // tsyringe needs it loaded before its own import (moirae loads it too, but after)
import { IsNumber } from "class-validator";
import { container, injectable } from "tsyringe";
import {
  buildGraph,
  CacheProvider,
  execute,
  executeStream,
  GraphSpecBuilder,
  Input,
  Node,
  Output,
} from "../src/index";

/** Stands for a remote store (S3, a database…): bytes under string keys. */
@injectable()
class KeyValueStore {
  readonly entries = new Map<string, Uint8Array>();
}

@injectable()
class StoreCache extends CacheProvider {
  constructor(private readonly store: KeyValueStore) {
    super();
  }
  override async get(key: string): Promise<Uint8Array | undefined> {
    return this.store.entries.get(key);
  }
  override async set(key: string, bytes: Uint8Array): Promise<void> {
    this.store.entries.set(key, bytes);
  }
  override async has(key: string): Promise<boolean> {
    return this.store.entries.has(key);
  }
  override async delete(key: string): Promise<boolean> {
    return this.store.entries.delete(key);
  }
}

@Input()
class Operands {
  @IsNumber() x!: number;
  @IsNumber() y!: number;
}

@Output()
class Result {
  @IsNumber() o!: number;
}

@Node({ input: Operands, output: Result })
class Add {
  async execute(input: Operands): Promise<Result> {
    return { o: input.x + input.y };
  }
}

async function main(): Promise<void> {
  const child = container.createChildContainer();
  child.registerSingleton(KeyValueStore);
  child.register(CacheProvider, { useClass: StoreCache });

  const spec = new GraphSpecBuilder();
  const a = spec.node("a", Add, { inputs: { x: 1, y: 2 } });
  spec.node("b", Add, { inputs: { x: a.o, y: 10 } });
  const graph = buildGraph(spec);

  for (const run of ["first run", "second run"]) {
    const statuses: string[] = [];
    for await (const r of executeStream(graph, { container: child })) statuses.push(`${r.node} ${r.status}`);
    console.log(`${run}: ${statuses.join(", ")}`);
  }
  console.log("entries in the store:", child.resolve(KeyValueStore).entries.size); // 2
  const root = await execute(graph); // the root container has no cache provider registered
  console.log("root container:", JSON.stringify(root));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
