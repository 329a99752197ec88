// A run recorded as an HTML report, and traced with OpenTelemetry (spans printed instead of exported).
// Run with: npm run sample -- samples/report.ts
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { trace } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { IsNumber } from "class-validator";
import { buildGraph, execute, Input, Node, Output, RunReport } from "../src/index";

// tracing: register a tracer provider once, at start-up (here the spans stay in memory, to print them)
const spans = new InMemorySpanExporter();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));

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
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { o: input.x + input.y };
  }
}

const graph = buildGraph({
  a: { node: Add, inputs: { x: 1, y: 2 } },
  b: { node: Add, inputs: { x: 3, y: 4 } },
  c: { node: Add, inputs: { x: "${a.o}", y: "${b.o}" } },
});

async function main(): Promise<void> {
  // the report: record the run's events, then write one self-contained HTML page
  const report = new RunReport(graph, { title: "samples/report.ts" });
  const file = join(tmpdir(), "moirae-sample-report.html");
  try {
    await execute(graph, { onEvent: report.record });
  } finally {
    await writeFile(file, report.toHTML());
  }
  console.log(`report: ${basename(file)} in the temporary folder (open it in a browser)`);

  console.log("spans:");
  const finished = spans.getFinishedSpans();
  for (const span of finished.filter((s) => s.name === "moirae.run")) {
    console.log(`  ${span.name} ${span.attributes["moirae.status"]}`);
    const children = finished.filter((s) => s.parentSpanContext?.spanId === span.spanContext().spanId);
    children.sort((x, y) =>
      String(x.attributes["moirae.node"]).localeCompare(String(y.attributes["moirae.node"])),
    );
    for (const child of children) {
      const a = child.attributes;
      console.log(
        `    ${child.name} ${a["moirae.node"]} ${a["moirae.node_class"]} ${a["moirae.status"]} cache=${a["moirae.cache"]}`,
      );
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
