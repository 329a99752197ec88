import { Body, Controller, Post, Res } from "@nestjs/common";
import { Executor, GraphBuilder, type GraphSpec } from "../../src/index";

/** The part of the HTTP response the stream writes to (express's `Response` has it). */
interface Stream {
  setHeader(name: string, value: string): void;
  write(chunk: string): boolean;
  end(): void;
}

@Controller("workflows")
export class WorkflowsController {
  constructor(
    private readonly builder: GraphBuilder,
    private readonly executor: Executor,
  ) {}

  /** Runs the graph of the JSON body; answers its outputs by node name. */
  @Post("run")
  async run(@Body() spec: GraphSpec): Promise<Record<string, object>> {
    return this.executor.run(this.builder.build(spec));
  }

  /** Runs the graph of the JSON body and streams one NDJSON line per node as it completes. */
  @Post("stream")
  async stream(@Body() spec: GraphSpec, @Res() response: Stream): Promise<void> {
    const graph = this.builder.build(spec); // an invalid spec is a 400 before anything is written
    response.setHeader("content-type", "application/x-ndjson");
    for await (const r of this.executor.stream(graph, { onError: "continue" })) {
      response.write(
        `${JSON.stringify({ node: r.node, status: r.status, output: r.output, error: r.error?.message })}\n`,
      );
    }
    response.end();
  }
}
