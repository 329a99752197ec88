/**
 * Ready nodes by priority: a binary max-heap of node indices ordered by `priority` (higher first), then by index
 * (topological order, lower first).
 */
export class ReadyQueue {
  private heap: Int32Array;
  private count = 0;

  constructor(
    private readonly priority: Int32Array,
    capacity: number,
  ) {
    this.heap = new Int32Array(Math.max(capacity, 1));
  }

  get size(): number {
    return this.count;
  }

  push(node: number): void {
    if (this.count === this.heap.length) {
      const bigger = new Int32Array(this.heap.length * 2);
      bigger.set(this.heap);
      this.heap = bigger;
    }
    const heap = this.heap;
    let at = this.count++;
    while (at > 0) {
      const up = (at - 1) >> 1;
      if (!this.before(node, heap[up]!)) break;
      heap[at] = heap[up]!;
      at = up;
    }
    heap[at] = node;
  }

  /** Removes and returns the first node; the queue must not be empty. */
  pop(): number {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap[--this.count]!;
    const count = this.count;
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= count) break;
      const right = left + 1;
      const child = right < count && this.before(heap[right]!, heap[left]!) ? right : left;
      if (!this.before(heap[child]!, last)) break;
      heap[at] = heap[child]!;
      at = child;
    }
    heap[at] = last;
    return top;
  }

  private before(a: number, b: number): boolean {
    const pa = this.priority[a]!;
    const pb = this.priority[b]!;
    return pa > pb || (pa === pb && a < b);
  }
}
