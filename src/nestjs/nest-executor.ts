import { injectable } from "tsyringe";
import type { ExecuteOptions } from "../execution/execute-options";
import { Executor } from "../execution/executor";
import type { NodeResult } from "../execution/node-result";
import type { Graph } from "../graph/graph";
import type { NodeContainer } from "../metadata/node-container";

/**
 * The `Executor` provider of a Nest app: runs resolve their nodes through Nest and start from the module's
 * `defaults`; a run's own options win.
 */
@injectable()
export class NestExecutor extends Executor {
  nodes: NodeContainer | undefined;
  defaults: ExecuteOptions = {};

  override stream(graph: Graph, options?: ExecuteOptions): AsyncIterableIterator<NodeResult> {
    return super.stream(graph, this.optionsOf(options));
  }

  override run(graph: Graph, options?: ExecuteOptions): Promise<Record<string, object>> {
    return super.run(graph, this.optionsOf(options));
  }

  private optionsOf(options: ExecuteOptions | undefined): ExecuteOptions {
    return { container: this.nodes, ...this.defaults, ...options };
  }
}
