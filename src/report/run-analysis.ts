import type { NodeRecord } from "./run-recorder";

/**
 * The critical path of a run: the chain of nodes that determined its wall time. It ends at the node that ended
 * last; each step goes back to the parent that ended last, the one the node waited for. Names in run order.
 */
export function criticalPath(
  records: ReadonlyMap<string, NodeRecord>,
  parentsOf: (name: string) => readonly string[],
): string[] {
  let last: NodeRecord | undefined;
  for (const record of records.values()) {
    if (record.end === undefined) continue;
    if (!last || record.end > last.end!) last = record;
  }
  const path: string[] = [];
  const seen = new Set<string>();
  for (let node = last; node && !seen.has(node.name); ) {
    path.push(node.name);
    seen.add(node.name);
    let next: NodeRecord | undefined;
    for (const parent of parentsOf(node.name)) {
      const record = records.get(parent);
      if (record?.end === undefined) continue;
      if (!next || record.end > next.end!) next = record;
    }
    node = next;
  }
  return path.reverse();
}

/** A bar of the timeline: a node from its start to its end, in a lane no other bar overlaps. */
export interface TimelineBar {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly lane: number;
}

/**
 * Places each started node on a lane: bars sorted by start, each on the lowest-numbered lane whose last bar
 * ended when it starts (a new lane when none has), so the number of lanes is the most nodes that ran at once.
 */
export function timelineLanes(records: Iterable<NodeRecord>, endOfRun: number): TimelineBar[] {
  const started = [...records].filter((r) => r.start !== undefined);
  started.sort((a, b) => a.start! - b.start! || (a.end ?? endOfRun) - (b.end ?? endOfRun));
  let lanes = 0;
  // free lanes as a min-heap of lane numbers, busy lanes as a min-heap of [end, lane]
  const free = new MinHeap<number>((a, b) => a - b);
  const busy = new MinHeap<[number, number]>((a, b) => a[0] - b[0] || a[1] - b[1]);
  const bars: TimelineBar[] = [];
  for (const record of started) {
    const start = record.start!;
    const end = Math.max(start, record.end ?? endOfRun);
    while (busy.size > 0 && busy.peek()![0] <= start) free.push(busy.pop()![1]);
    const lane = free.size > 0 ? free.pop()! : lanes++;
    busy.push([end, lane]);
    bars.push({ name: record.name, start, end, lane });
  }
  return bars;
}

class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.less(items[i]!, items[parent]!) >= 0) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.less(items[l]!, items[m]!) < 0) m = l;
        if (r < items.length && this.less(items[r]!, items[m]!) < 0) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m]!, items[i]!];
        i = m;
      }
    }
    return top;
  }
}
