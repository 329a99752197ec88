// GraphBuilder: chain / wide / layered specs of 1k, 10k and 100k nodes built — validated, ordered, hashed.
import { buildGraph } from "../src/index";
import { settle } from "./measure";
import { count, progress, type Section, sizeLabel } from "./report";
import { SHAPES, type ShapeName, shape } from "./shapes";

const SIZES = process.env.BENCH_SIZES
  ? process.env.BENCH_SIZES.split(",").map(Number)
  : [1_000, 10_000, 100_000];

/** Goals: 100k nodes built in at most this many ms (issue 15), and 10× the nodes in at most 12× the time (issue 3). */
const GOAL_100K_MS = 600;
const GOAL_GROWTH = 12;

/** Timed builds per case (the median is reported): more for small graphs, whose times are noisier. */
const repetitions = (size: number) => (size >= 100_000 ? 3 : size >= 10_000 ? 5 : 9);

/** The spec as read from a JSON file: fresh objects and strings, nothing cached on them by an earlier build. */
const fromJson = (json: string) => JSON.parse(json) as ReturnType<typeof shape>;

/** Times `buildGraph` on `repetitions` fresh copies of the spec; each copy is parsed before its timing starts. */
function timeBuilds(json: string, size: number, times: number): number[] {
  const runs: number[] = [];
  for (let k = 0; k < times; k++) {
    const spec = fromJson(json);
    settle(); // the previous graph's garbage is not this build's cost
    const start = performance.now();
    const graph = buildGraph(spec);
    runs.push(performance.now() - start);
    if (graph.order.length !== size) throw new Error(`built ${graph.order.length} nodes, expected ${size}`);
  }
  return runs.sort((a, b) => a - b);
}

export async function build(section: Section): Promise<void> {
  section.text(
    "`buildGraph(spec)` on specs of no-op nodes: validated (node classes, arguments, literal types, references, " +
      "output/input types), ordered (iterative Kahn ordering) and hashed (SHA-256 topological hashes). Each timed build gets a " +
      "fresh spec from `JSON.parse` (as if read from a file), parsed before the clock starts; garbage is " +
      "collected before each build. Median of 9 builds at 1k, 5 at 10k, 3 at 100k, after 2 warm-up builds of " +
      "each 10k shape.",
    "Shapes: _chain_ (node i takes `x` from node i−1), _wide_ (no edges), _layered_ (10 layers; node j of " +
      "layer l takes `x` and `y` from nodes (7j+1) mod W and (13j+3) mod W of layer l−1).",
  );
  progress("build: warming up");
  for (const name of SHAPES) {
    const json = JSON.stringify(shape(name, 10_000));
    timeBuilds(json, 10_000, 2);
  }
  const medians = new Map<string, number>();
  const rows: string[][] = [];
  for (const size of SIZES) {
    for (const name of SHAPES) {
      const json = JSON.stringify(shape(name, size));
      const runs = timeBuilds(json, size, repetitions(size));
      const mid = runs[Math.floor(runs.length / 2)]!;
      medians.set(`${name} ${size}`, mid);
      progress(`build: ${name} ${sizeLabel(size)} ${mid.toFixed(0)} ms`);
      rows.push([
        `${name} ${sizeLabel(size)}`,
        count(size),
        mid.toFixed(1),
        ((mid * 1000) / size).toFixed(1),
        runs[0]!.toFixed(1),
        runs[runs.length - 1]!.toFixed(1),
        String(runs.length),
      ]);
    }
  }
  section.table(["case", "nodes", "median ms", "µs/node", "fastest ms", "slowest ms", "builds"], rows);

  const growth = (name: ShapeName, from: number, to: number) => {
    const a = medians.get(`${name} ${from}`);
    const b = medians.get(`${name} ${to}`);
    return a !== undefined && b !== undefined ? b / a : undefined;
  };
  const ratio = (r: number | undefined) => (r === undefined ? "—" : `${r.toFixed(2)}×`);
  section.text("Growth of the median build time when the node count grows tenfold (linear: 10×):");
  section.table(
    ["shape", "1k → 10k", "10k → 100k"],
    SHAPES.map((name) => [name, ratio(growth(name, 1_000, 10_000)), ratio(growth(name, 10_000, 100_000))]),
  );

  if (SIZES.includes(100_000)) {
    const times = SHAPES.map((name) => [name, medians.get(`${name} 100000`)!] as const);
    section.goal(
      `100k nodes built in ≤ ${count(GOAL_100K_MS)} ms (every shape)`,
      times.every(([, t]) => t <= GOAL_100K_MS),
      times.map(([name, t]) => `${name} ${count(Math.round(t))} ms`).join(", "),
    );
  }
  if (SIZES.includes(10_000) && SIZES.includes(100_000)) {
    const ratios = SHAPES.map((name) => [name, growth(name, 10_000, 100_000)!] as const);
    section.goal(
      `linear growth: 10k → 100k nodes takes ≤ ${GOAL_GROWTH}× the time (every shape)`,
      ratios.every(([, r]) => r <= GOAL_GROWTH),
      ratios.map(([name, r]) => `${name} ${r.toFixed(2)}×`).join(", "),
    );
  }
}
