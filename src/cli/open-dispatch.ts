import type { DependencyContainer } from "tsyringe";
import { container as rootContainer } from "tsyringe";
import { NodeDispatcher } from "../execution/node-dispatcher";
import { UsageError } from "./usage-error";

/** Where `moirae run --queue` sends its nodes: a container whose `NodeDispatcher` is a `QueueDispatcher`. */
export interface RunDispatch {
  readonly container: DependencyContainer;
  /** The queue in words, for messages. */
  readonly description: string;
  close(): Promise<void>;
}

/**
 * `--queue NAME` (with `--redis URL`, the queue's server) → a `QueueDispatcher` registered in a child container;
 * no `--queue` → undefined (nodes run in this process). BullMQ is loaded only here.
 */
export function openDispatch(options: { queue?: string; redis?: string }): RunDispatch | undefined {
  if (options.queue === undefined) return undefined;
  if (options.redis === undefined) {
    throw new UsageError("--queue needs --redis <url>: the Redis server of the queue (also the run's cache)");
  }
  const { QueueDispatcher } =
    require("../bullmq/queue-dispatcher") as typeof import("../bullmq/queue-dispatcher");
  const dispatcher = new QueueDispatcher({ connection: options.redis, queue: options.queue });
  const container = rootContainer.createChildContainer();
  container.register(NodeDispatcher, { useValue: dispatcher });
  return {
    container,
    description: `BullMQ queue "${dispatcher.queueName}" on ${dispatcher.server}`,
    close: () => dispatcher.close(),
  };
}
