// Memory: a chain of 1,000 nodes each returning ~1 MB, run for its last node only.
import { IsString } from "class-validator";
import { container } from "tsyringe";
import { buildGraph, Executor, type GraphSpec, Input, Node, Output } from "../src/index";
import { mb, measure, sampleRss } from "./measure";

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

export async function memory(): Promise<void> {
  console.log("\n## Memory: chain of 1,000 nodes each returning a 1 MB string, targets: [last]");
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
  console.log(
    `moirae: ${m.ms.toFixed(0)} ms, peak RSS ${mb(m.peakRss)} = ${mb(m.peakRss - m.baseRss)} above the start ` +
      `(goal ≤ 100 MB above; 1,000 MB if every output were kept); returned ${Object.keys(outputs).join(", ")}`,
  );
  void BenchBlob;
}
