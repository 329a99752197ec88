import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { withTimeout } from "../../src/cache/with-timeout";

describe("withTimeout", () => {
  it("thousands of operations waiting on one run signal: no MaxListenersExceededWarning, all end on abort", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const controller = new AbortController();
      const never = () => new Promise<never>(() => {});
      const pending = Array.from({ length: 2000 }, () =>
        withTimeout(never, 60_000, "CacheProvider.get", controller.signal).then(
          () => "resolved",
          (reason) => reason,
        ),
      );
      await new Promise((resolve) => setImmediate(resolve));
      controller.abort(new Error("run aborted"));
      const results = await Promise.all(pending);
      assert.ok(results.every((r) => r instanceof Error && r.message === "run aborted"));
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(
        warnings.filter((w) => w.name === "MaxListenersExceededWarning"),
        [],
      );
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("settles with the work's value, or rejects after the time limit saying what did not answer", async () => {
    assert.equal(await withTimeout(async () => 7, 1000, "CacheProvider.get"), 7);
    await assert.rejects(
      withTimeout(() => new Promise<never>(() => {}), 5, "MemoryCacheProvider.set"),
      /MemoryCacheProvider\.set did not answer within 5 ms/,
    );
  });
});
