import "reflect-metadata";
import { BroadcastChannel, parentPort } from "node:worker_threads";
import { ExecutionAbortedError } from "../errors/execution-aborted-error";
import { executeRemoteTask } from "../remote/run-remote-task";
import { encodeFailure, encodeOutputDetached } from "../remote/task-result";
import { isAbortNotice, type ThreadTaskMessage, type ThreadTaskReply } from "./thread-messages";

/**
 * The file every moirae worker thread runs (piscina's `filename`): users write no worker file. A task names the
 * node's module; it is loaded the first time the thread sees the class, then the class is resolved by its
 * registered name from this thread's registry and its services from this thread's root container.
 */

/** Tries running in this thread, by id: an abort notice fires their signal. */
const running = new Map<number, AbortController>();
const channels = new Map<string, BroadcastChannel>();

function listen(name: string): void {
  if (channels.has(name)) return;
  const channel = new BroadcastChannel(name);
  channel.unref();
  channel.onmessage = (event) => {
    const notice = (event as MessageEvent).data;
    if (isAbortNotice(notice)) {
      running.get(notice.moiraeThreadAbort)?.abort(new ExecutionAbortedError(notice.reason));
    }
  };
  channels.set(name, channel);
}

/** Runs one try; piscina posts the reply back and transfers the typed arrays it lists. */
export default async function runThreadTask(message: ThreadTaskMessage): Promise<unknown> {
  listen(message.channel);
  const controller = new AbortController();
  running.set(message.id, controller);
  try {
    const outcome = await executeRemoteTask(message.bytes, {
      signal: controller.signal,
      onStart: message.notifyStart
        ? () => parentPort?.postMessage({ moiraeThreadStart: message.id })
        : undefined,
    });
    let reply: ThreadTaskReply;
    if (outcome.ok) {
      try {
        reply = encodeOutputDetached(outcome.name, outcome.output);
      } catch (error) {
        reply = { bytes: encodeFailure(error), views: [] };
      }
    } else {
      reply = { bytes: encodeFailure(outcome.error), views: [] };
    }
    return reply.views.length ? movable(reply) : reply;
  } finally {
    running.delete(message.id);
  }
}

/** The reply marked for piscina to transfer its typed arrays' buffers instead of copying them. */
function movable(reply: ThreadTaskReply): unknown {
  const { Piscina } = require("piscina") as typeof import("piscina");
  const buffers = [...new Set(reply.views.map((view) => view.buffer))];
  return Piscina.move({ [Piscina.transferableSymbol]: buffers, [Piscina.valueSymbol]: reply } as never);
}
