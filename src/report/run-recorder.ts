import type { ExecutionEvent } from "../execution/execution-event";
import { messageOf } from "../util/error-text";

/** How a node ended in a recorded run; `not-run` when it never ended (not needed, or the run stopped first). */
export type ReportStatus = "done" | "cached" | "failed" | "skipped" | "not-run";

/** A failed try that was retried. */
export interface RetryRecord {
  /** When the retry was decided: ms since the run started. */
  readonly at: number;
  /** The try that comes next (2 for the first retry). */
  readonly attempt: number;
  readonly message: string;
}

/** What the report knows about one node of the run. */
export interface NodeRecord {
  readonly name: string;
  status: ReportStatus;
  /** ms since the run started (undefined: the node never started). */
  start?: number;
  /** ms since the run started (undefined: the node never ended). */
  end?: number;
  attempts: number;
  readonly retries: RetryRecord[];
  /** The cache lookup: `hit`, `miss`, `error` (counted as a miss), or undefined when none was made. */
  cache?: "hit" | "miss" | "error";
  /** Why the node failed or was skipped: `Name: message`, then one line per cause. */
  error?: string;
  /** Started but still running when the run ended (aborted or failed fast). */
  interrupted?: boolean;
  /** Why its dispatcher could not start it at once (`node:waiting`, e.g. no BullMQ worker). */
  waiting?: string;
}

const MAX_CAUSES = 6;
/** Error texts are cut to this many characters (a report stays small however long a message is). */
const MAX_ERROR = 4000;

/** Collects the events of one run: start and end times (high resolution), tries, retries, cache, errors. */
export class RunRecorder {
  readonly nodes = new Map<string, NodeRecord>();
  /** `performance.now()` at `run:start` (or the first event). */
  private origin: number | undefined;
  /** When the run started, ms since the epoch. */
  startedAt: number | undefined;
  /** ms since the run started, once `run:done` arrived. */
  endedAt: number | undefined;
  /** The run's error (`run:done` with an error). */
  runError: string | undefined;
  aborted = false;
  cacheErrors = 0;

  constructor(names: readonly string[]) {
    for (const name of names) this.nodes.set(name, { name, status: "not-run", attempts: 0, retries: [] });
  }

  /** ms since the run started, now. */
  now(): number {
    return this.origin === undefined ? 0 : performance.now() - this.origin;
  }

  record(event: ExecutionEvent): void {
    if (this.origin === undefined) {
      this.origin = performance.now();
      this.startedAt = typeof event.time === "number" ? event.time : Date.now();
    }
    const at = this.now();
    if (event.type === "run:done") {
      this.endedAt = at;
      if (event.error) {
        this.runError = errorText(event.error);
        this.aborted = event.error.name === "ExecutionAbortedError";
      }
      for (const node of this.nodes.values()) {
        if (node.start !== undefined && node.end === undefined) node.interrupted = true;
      }
      return;
    }
    if (event.type === "cache:error") this.cacheErrors++;
    const node = event.node === undefined ? undefined : this.nodes.get(event.node);
    if (!node) return;
    switch (event.type) {
      case "node:start":
        node.start = at;
        break;
      case "cache:hit":
        node.cache = "hit";
        break;
      case "cache:miss":
        node.cache ??= "miss";
        break;
      case "cache:error":
        node.cache = "error";
        break;
      case "node:retry":
        node.retries.push({
          at,
          attempt: event.attempt ?? node.retries.length + 2,
          message: oneLine(event.error),
        });
        break;
      case "node:done":
        node.end = at;
        node.start ??= at;
        node.attempts = event.attempt ?? 1;
        node.status = node.attempts === 0 ? "cached" : "done";
        break;
      case "node:failed":
        node.end = at;
        node.start ??= at;
        node.attempts = event.attempt ?? 1;
        node.status = "failed";
        node.error = event.error ? errorText(event.error) : "failed";
        break;
      case "node:waiting":
        node.waiting = (event.message ?? "waiting").slice(0, MAX_ERROR);
        break;
      case "node:skipped":
        node.status = "skipped";
        node.error = event.error ? errorText(event.error) : "skipped";
        break;
    }
  }

  /** The end of the run so far: `run:done`, or now for a report written while the run goes on. */
  wallMs(): number {
    return this.endedAt ?? this.now();
  }
}

function oneLine(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, MAX_ERROR);
  return messageOf(error).slice(0, MAX_ERROR);
}

/** `Name: message`, then `caused by Name: message` per cause. */
function errorText(error: Error): string {
  const lines = [oneLine(error)];
  let cause: unknown = error.cause;
  for (let depth = 0; cause !== undefined && depth < MAX_CAUSES; depth++) {
    lines.push(`caused by ${oneLine(cause)}`);
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return lines.join("\n").slice(0, MAX_ERROR);
}
