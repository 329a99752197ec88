/** The queue moirae uses when none is named. */
export const DEFAULT_QUEUE = "moirae";
/** BullMQ's default key prefix. */
export const DEFAULT_PREFIX = "bull";

/**
 * The Redis names moirae adds to a BullMQ queue, all under the queue's own `prefix:queue:` (so `obliterate`
 * removes them with the queue): payloads too large to travel inline in a job, a failed try's error, and the
 * channel on which coordinators ask workers to cancel active jobs.
 */
export class QueueKeys {
  private readonly base: string;

  constructor(prefix: string, queue: string) {
    this.base = `${prefix}:${queue}:moirae`;
  }

  /** Pub/sub channel of cancel requests (`{ job, reason }` as JSON). */
  get cancelChannel(): string {
    return `${this.base}:cancel`;
  }

  /** A task's bytes, when they do not travel in the job's data. */
  input(jobId: string): string {
    return `${this.base}:in:${jobId}`;
  }

  /** An output's bytes, when they do not travel in the job's return value. */
  output(jobId: string): string {
    return `${this.base}:out:${jobId}`;
  }

  /** A failed try's error, as the remote-task layer encodes it. */
  error(jobId: string): string {
    return `${this.base}:err:${jobId}`;
  }
}

/** Checks a queue name the way BullMQ does, with a message that says how to fix it. */
export function queueNameProblem(name: unknown): string | undefined {
  if (typeof name !== "string" || name.length === 0) return "must be a non-empty string";
  if (name.includes(":")) return `must not contain ":" (BullMQ uses it in its keys), got "${name}"`;
  return undefined;
}
