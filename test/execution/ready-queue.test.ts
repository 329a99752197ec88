import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { remainingPathLengths } from "../../src/execution/critical-path";
import { ReadyQueue } from "../../src/execution/ready-queue";

describe("ReadyQueue", () => {
  it("pops by priority (higher first), then by index (lower first), whatever the push order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 200 }),
        fc.integer(),
        (priorities, seed) => {
          const priority = Int32Array.from(priorities);
          const queue = new ReadyQueue(priority, 1);
          const order = priorities.map((_, i) => i);
          // a seeded shuffle of the push order, with pops interleaved
          let s = seed;
          for (let i = order.length - 1; i > 0; i--) {
            s = (s * 1103515245 + 12345) | 0;
            const j = Math.abs(s) % (i + 1);
            [order[i], order[j]] = [order[j]!, order[i]!];
          }
          for (const i of order) queue.push(i);
          const popped: number[] = [];
          while (queue.size > 0) popped.push(queue.pop());
          const expected = priorities
            .map((_, i) => i)
            .sort((a, b) => priorities[b]! - priorities[a]! || a - b);
          assert.deepEqual(popped, expected);
        },
      ),
    );
  });
});

describe("remainingPathLengths", () => {
  it("counts the nodes on the longest path from each node to the end", () => {
    // 0 -> 1 -> 3, 0 -> 2, 4 alone
    const lengths = remainingPathLengths([[1, 2], [3], [], [], []], undefined);
    assert.deepEqual([...lengths], [3, 2, 1, 1, 1]);
  });

  it("counts only selected nodes", () => {
    const lengths = remainingPathLengths([[1, 2], [3], [], [], []], Uint8Array.from([1, 1, 1, 0, 0]));
    assert.deepEqual([...lengths], [2, 1, 1, 0, 0]);
  });
});
