import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

const root = join(__dirname, "..", "..", "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

describe("package.json", () => {
  it("shares tsyringe, class-validator, class-transformer and reflect-metadata with the app (peers, not pins)", () => {
    for (const name of ["tsyringe", "class-validator", "class-transformer", "reflect-metadata"]) {
      assert.equal(pkg.dependencies[name], undefined, `${name} must not be a dependency`);
      assert.match(pkg.peerDependencies[name], /\^/, `${name} needs a range`);
      assert.notEqual(pkg.peerDependenciesMeta?.[name]?.optional, true, `${name} is required`);
    }
  });

  it("makes integrations optional peers", () => {
    for (const name of ["ioredis", "bullmq", "@nestjs/common", "@nestjs/core", "@opentelemetry/api"]) {
      assert.equal(pkg.dependencies[name], undefined, `${name} must not be a dependency`);
      assert.ok(pkg.peerDependencies[name], `${name} is a peer`);
      assert.equal(pkg.peerDependenciesMeta[name].optional, true, `${name} is optional`);
    }
    assert.match(pkg.peerDependencies.ioredis, /\^5.*\^6/);
  });
});

describe('import "moirae"', () => {
  it("loads no optional integration (ioredis, Nest, BullMQ, OpenTelemetry)", () => {
    const script = `
      require(${JSON.stringify(join(root, "dist-test", "src", "index.js"))});
      const loaded = Object.keys(require.cache).filter((f) => /node_modules[\\\\/](ioredis|bullmq|@nestjs|@opentelemetry)[\\\\/]/.test(f));
      process.stdout.write(JSON.stringify(loaded));`;
    const result = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), []);
  });
});
