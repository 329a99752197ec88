// Memory: a chain of 1,000 nodes each returning ~1 MB, run for its last node only.
import { IsString } from "class-validator";
import { container } from "tsyringe";
import { buildGraph, Executor, type GraphSpec, Input, Node, Output } from "../src/index";
import { mb, measure, sampleRss } from "./measure";
import { progress, type Section } from "./report";

@Input()
class BlobInput {
  @IsString() s!: string;
}

@Output()
class BlobOutput {
  @IsString() s!: string;
}

const MB = 1_000_000; // below the size at which Node makes external strings: these live on the V8 heap
const scratch = Buffer.alloc(MB);

/** Returns a fresh 1 MB string (flat: it shares nothing with its input). */
@Node({ input: BlobInput, output: BlobOutput, name: "BenchBlob" })
class BenchBlob {
  execute(input: BlobInput): BlobOutput {
    sampleRss();
    const fill = 97 + (input.s.length % 26);
    return { s: scratch.fill(fill).toString("latin1") };
  }
}

/** Goal of issue 4: peak RSS at most this much above the RSS at the start of the run. */
const GOAL_ABOVE = 100 * 2 ** 20;

export async function memory(section: Section): Promise<void> {
  section.text(
    "A chain of 1,000 nodes, each returning a fresh 1 MB string (on the V8 heap), run with `targets: [last]`: " +
      "only the target's output is returned, so each intermediate output can be released once its one " +
      "dependent has its input. Keeping every output would take 1,000 MB. RSS is sampled every 5 ms and in " +
      "each node; the start is measured after a GC (run with `--expose-gc`). This suite runs first, " +
      "before the others have grown the heap.",
  );
  const size = 1000;
  const spec: GraphSpec = {};
  for (let i = 0; i < size; i++)
    spec[`b${i}`] = { node: "BenchBlob", inputs: { s: i === 0 ? "" : `\${b${i - 1}.s}` } };
  const graph = buildGraph(spec);
  const executor = container.resolve(Executor);
  let outputs: Record<string, object> = {};
  const m = await measure(async () => {
    outputs = await executor.run(graph, { targets: [`b${size - 1}`] });
  });
  progress(`memory: ${m.ms.toFixed(0)} ms, ${mb(m.peakRss - m.baseRss)} above the start`);
  section.table(
    ["case", "wall ms", "RSS at start", "peak RSS", "peak above start", "outputs returned"],
    [
      [
        "chain 1k × 1 MB, targets: [last]",
        m.ms.toFixed(0),
        mb(m.baseRss),
        mb(m.peakRss),
        mb(m.peakRss - m.baseRss),
        Object.keys(outputs).join(", "),
      ],
    ],
  );
  section.goal(
    `peak RSS ≤ ${mb(GOAL_ABOVE)} above the start`,
    m.peakRss - m.baseRss <= GOAL_ABOVE,
    `${mb(m.peakRss - m.baseRss)} above (${mb(m.baseRss)} → ${mb(m.peakRss)})`,
  );
  void BenchBlob;
}
