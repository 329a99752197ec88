// The package as users get it: `npm pack`, installed from the tarball into a fresh CommonJS app and a fresh ES
// module app next to the lowest peers moirae claims (tsyringe 4.8, class-validator 0.14), compiled with tsc.
// dist/ is emitted as `prepare` emits it (tsconfig.build.json), without the type check that `npm test`'s build
// has already made; one npm install from the local cache serves both apps.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = join(__dirname, "..", "..", "..");
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");

const COMPILER_OPTIONS = {
  target: "ES2022",
  module: "nodenext",
  moduleResolution: "nodenext",
  strict: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
  skipLibCheck: false,
  types: ["node"],
  outDir: "dist",
};

/** The app's program: a node whose constructor service is registered by the app in tsyringe's container. */
const PROGRAM = `
import "reflect-metadata";
import { IsNumber, IsString } from "class-validator";
import { buildGraph, execute, Input, Node, Output } from "moirae";
import { container, injectable } from "tsyringe";

@injectable()
class Labeller {
  constructor(readonly label: string) {}
}

@Input()
class In {
  @IsNumber() x!: number;
}

@Output()
class Out {
  @IsNumber() y!: number;
  @IsString() label!: string;
}

@Node({ input: In, output: Out })
class Double {
  constructor(private readonly labeller: Labeller) {}
  execute(input: In): Out {
    return { y: input.x * 2, label: this.labeller.label };
  }
}

container.registerInstance(Labeller, new Labeller("registered by the app"));
const graph = buildGraph({ a: { node: "Double", inputs: { x: 21 } } });
execute(graph).then((outputs) => console.log(JSON.stringify(outputs.a)));
`;

/** ioredis 5's client must type-check as RedisCacheProvider's client. */
const REDIS_PROGRAM = `
import Redis from "ioredis";
import { RedisCacheProvider } from "moirae";
const client = new Redis({ lazyConnect: true });
const cache = new RedisCacheProvider({ client, prefix: "packed:" });
void cache.close().then(() => client.disconnect());
`;

let dir: string;

/** Every directory named `name` under `root`'s node_modules trees. */
function copiesOf(name: string, root: string): string[] {
  const found: string[] = [];
  const walk = (modules: string) => {
    let entries: string[];
    try {
      entries = readdirSync(modules);
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(modules, entry);
      if (!statSync(path).isDirectory()) continue;
      if (entry.startsWith("@")) {
        for (const scoped of readdirSync(path)) walk(join(path, scoped, "node_modules"));
        continue;
      }
      if (entry === name) found.push(path);
      walk(join(path, "node_modules"));
    }
  };
  walk(join(root, "node_modules"));
  return found;
}

/** Compiles the app in `cwd` with tsc and runs its dist/main.js; returns what it printed. */
async function compileAndRun(cwd: string): Promise<string> {
  await run(process.execPath, [TSC, "-p", "tsconfig.json"], { cwd });
  const { stdout } = await run(process.execPath, ["dist/main.js"], { cwd });
  return stdout;
}

describe("the packed package in fresh apps", { timeout: 300_000, concurrency: true }, () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "moirae-packed-"));
    await run(process.execPath, [TSC, "-p", "tsconfig.build.json", "--noCheck"], { cwd: ROOT });
    const { stdout } = await run("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", dir], {
      cwd: ROOT,
    });
    const tarball = join(dir, stdout.trim().split("\n").pop()!);
    // one install serves both apps: the ESM app lives in a folder of the CommonJS app and shares its node_modules
    const app = join(dir, "app");
    mkdirSync(join(app, "src"), { recursive: true });
    mkdirSync(join(app, "esm", "src"), { recursive: true });
    writeFileSync(
      join(app, "package.json"),
      JSON.stringify({
        name: "cjs-app",
        private: true,
        type: "commonjs",
        dependencies: {
          moirae: `file:${tarball}`,
          tsyringe: "~4.8.0",
          "class-validator": "~0.14.2",
          "class-transformer": "~0.5.1",
          "reflect-metadata": "^0.2.2",
          ioredis: "^5.4.0",
          "@types/node": "^20.19.0",
        },
      }),
    );
    writeFileSync(
      join(app, "esm", "package.json"),
      JSON.stringify({ name: "esm-app", private: true, type: "module" }),
    );
    for (const root of [app, join(app, "esm")]) {
      writeFileSync(
        join(root, "tsconfig.json"),
        JSON.stringify({ compilerOptions: { ...COMPILER_OPTIONS, rootDir: "src" }, include: ["src"] }),
      );
    }
    writeFileSync(join(app, "src", "main.ts"), PROGRAM);
    writeFileSync(join(app, "src", "redis.ts"), REDIS_PROGRAM);
    writeFileSync(join(app, "esm", "src", "main.ts"), PROGRAM);
    await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts"], {
      cwd: app,
      timeout: 240_000,
    });
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it("installs one copy of each peer: the app's tsyringe 4.8 and class-validator 0.14", () => {
    const app = join(dir, "app");
    assert.equal(copiesOf("tsyringe", app).length, 1);
    assert.equal(copiesOf("class-validator", app).length, 1);
    assert.equal(copiesOf("class-transformer", app).length, 1);
    const version = (name: string) =>
      JSON.parse(readFileSync(join(app, "node_modules", name, "package.json"), "utf8")).version as string;
    assert.match(version("tsyringe"), /^4\.8\./);
    assert.match(version("class-validator"), /^0\.14\./);
  });

  it("compiles and runs in a CommonJS app: the node gets the service the app registered", async () => {
    const stdout = await compileAndRun(join(dir, "app"));
    assert.deepEqual(JSON.parse(stdout), { y: 42, label: "registered by the app" });
  });

  it("compiles and runs in an ES module app", async () => {
    const stdout = await compileAndRun(join(dir, "app", "esm"));
    assert.deepEqual(JSON.parse(stdout), { y: 42, label: "registered by the app" });
  });
});
