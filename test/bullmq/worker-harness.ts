import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { Queue } from "bullmq";
import { REDIS_HOST, REDIS_PORT, REDIS_URL } from "../fixtures/live-redis";
import { type Finished, runNodeProcess } from "../fixtures/node-process";

/** The repository root (this file runs from dist-test/test/bullmq/). */
export const ROOT = path.resolve(__dirname, "..", "..", "..");
/** The built CLI the tests spawn. */
export const CLI = path.join(ROOT, "dist-test", "src", "cli", "main.js");
/**
 * How long the helpers below wait before calling a process hung: far beyond what anything takes on an idle
 * machine (a second or two), so that test files running at once on a busy one are slow, not failed.
 */
export const HANG_MS = 90_000;

/** One JSON line a `moirae worker --json` printed. */
export interface WorkerLine {
  readonly type: string;
  readonly [key: string]: unknown;
}

/** A `moirae worker --json` child process. */
export class WorkerProcess {
  readonly lines: WorkerLine[] = [];
  stderr = "";
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly child: ChildProcess) {
    let buffered = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      buffered += chunk;
      let end = buffered.indexOf("\n");
      while (end >= 0) {
        const text = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        try {
          this.lines.push(JSON.parse(text) as WorkerLine);
        } catch {
          this.lines.push({ type: "text", text });
        }
        end = buffered.indexOf("\n");
      }
      for (const waiter of [...this.waiters]) waiter();
    });
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
    void this.exited.then(() => {
      for (const waiter of [...this.waiters]) waiter();
    });
  }

  /**
   * Spawns `moirae worker --redis <redis> --queue <queue> --json …args` and waits for its "ready" line (`redis`:
   * the shared test server unless given).
   */
  static async start(queue: string, args: readonly string[], redis = REDIS_URL): Promise<WorkerProcess> {
    const child = spawn(
      process.execPath,
      [CLI, "worker", "--redis", redis, "--queue", queue, "--json", ...args],
      {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const worker = new WorkerProcess(child);
    await worker.waitFor((line) => line.type === "ready", HANG_MS);
    return worker;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** `host:pid` as results name it. */
  get id(): string {
    return String(this.lines.find((line) => line.type === "ready")?.worker);
  }

  /** The "task" lines: one per finished try. */
  get tasks(): WorkerLine[] {
    return this.lines.filter((line) => line.type === "task");
  }

  /** Waits for a line matching `match` (or throws after `timeoutMs`, or when the process exits first). */
  waitFor(match: (line: WorkerLine) => boolean, timeoutMs = HANG_MS): Promise<WorkerLine> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const line = this.lines.find(match);
        if (line) return done(() => resolve(line));
        if (this.child.exitCode !== null || this.child.signalCode !== null) {
          done(() =>
            reject(new Error(`the worker exited (${this.child.exitCode}); stderr:\n${this.stderr}`)),
          );
        }
      };
      const timer = setTimeout(
        () =>
          done(() =>
            reject(new Error(`no matching worker line in ${timeoutMs} ms; stderr:\n${this.stderr}`)),
          ),
        timeoutMs,
      );
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        settle();
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Sends `signal` (if it still runs) and waits for the exit. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

/** Polls `check` every 25 ms until it returns a value other than undefined (or throws after `timeoutMs`). */
export async function eventually<T>(
  what: string,
  check: () => T | undefined,
  timeoutMs = HANG_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Runs `node …args` in the repository root to its end (pipes, no terminal). */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Finished> {
  return runNodeProcess(args, { cwd: ROOT, env, timeoutMs: HANG_MS });
}

/** Removes a queue and everything moirae kept under it. */
export async function obliterate(queue: string): Promise<void> {
  const q = new Queue(queue, { connection: { host: REDIS_HOST, port: REDIS_PORT } });
  try {
    await q.obliterate({ force: true });
  } finally {
    await q.close();
  }
}
