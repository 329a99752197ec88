import { jsonLength, pack } from "../remote/wire-data";
import { asBuffer, taskJobData } from "./job-payload";
import type { LazyLink } from "./lazy-link";
import type { PendingTry } from "./pending-try";
import type { QueueKeys } from "./queue-keys";
import type { JobListener } from "./queue-link";

/** How long a task's bytes stay in Redis when no coordinator deletes them (it crashed). */
const TASK_TTL_MS = 24 * 3600 * 1000;

/**
 * Puts each try's job in the queue, its task inline as JSON when its values survive JSON exactly, else as msgpack
 * in base64, or, above `inlineBytes`, as bytes under a key of their own. The listener hears whether the add
 * succeeded (through the `QueueLink`, or `onAddFailed` here).
 */
export class TaskSender {
  constructor(
    private readonly link: LazyLink,
    private readonly keys: QueueKeys,
    private readonly inlineBytes: number,
    /** The coordinator, for the job's data (`"host:pid"`). */
    private readonly coordinator: string,
    private readonly listener: Pick<JobListener, "onAddFailed">,
    /** Called for a try that settled (was stopped) before its job could be added: it is no longer in flight. */
    private readonly forget: (pending: PendingTry) => void,
  ) {}

  /** Queues the try's job: at once when the link is open and the task travels as JSON, else once it can. */
  send(pending: PendingTry, message: readonly unknown[]): void {
    const link = this.link.current;
    if (link && jsonLength(message, this.inlineBytes) >= 0) {
      link.add(pending.meta.name, taskJobData(pending.task, this.coordinator, { message }), pending);
    } else {
      void this.sendSlowly(pending, message);
    }
  }

  /** `send` before the link is open, or for a task that does not travel as JSON. */
  private async sendSlowly(pending: PendingTry, message: readonly unknown[]): Promise<void> {
    try {
      const link = await this.link.open();
      if (pending.settled) return this.forget(pending);
      if (jsonLength(message, this.inlineBytes) >= 0) {
        link.add(pending.meta.name, taskJobData(pending.task, this.coordinator, { message }), pending);
        return;
      }
      const bytes = pack(message);
      if (bytes.byteLength <= this.inlineBytes) {
        link.add(
          pending.meta.name,
          taskJobData(pending.task, this.coordinator, { task: asBuffer(bytes).toString("base64") }),
          pending,
        );
        return;
      }
      pending.taskKey = this.keys.input(pending.id);
      await link.client.set(pending.taskKey, asBuffer(bytes), "PX", TASK_TTL_MS);
      if (pending.settled) {
        this.forget(pending);
        return this.link.drop(pending.taskKey);
      }
      link.add(
        pending.meta.name,
        taskJobData(pending.task, this.coordinator, { taskKey: pending.taskKey }),
        pending,
      );
    } catch (error) {
      this.listener.onAddFailed(pending, error);
    }
  }
}
