import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { ENTRY_MISSING, ENTRY_READ_ELSEWHERE, type ReadBatch, type ReadRequest } from "./entry-read-batch";
import { readEntryFile } from "./read-entry-file";

/** Reads asked for in one turn of the event loop go to the reader thread together when there are at least this many. */
const BATCH_MIN = 16;
/** The reader thread is started by a turn with at least this many reads (a small graph never needs it). */
const START_MIN = 128;
/** The reader thread ends after this long without work. */
const IDLE_MS = 5_000;

interface Read {
  readonly file: string;
  readonly resolve: (bytes: Buffer | undefined) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Reads cache entry files for every `FileCacheProvider` of the process. A few reads go through `readEntryFile`
 * (two round trips to libuv's thread pool each). When a run asks for many entries at once — a warm run hits
 * thousands — the reads of one event-loop turn are sent in one message to a reader thread, which reads the small
 * ones with synchronous calls and sends their bytes back in one buffer: two messages per batch instead of two
 * thread-pool round trips, each with its lock and wake-ups, per entry (under load, a third of the cost of a hit).
 * Nothing blocks the event loop; a missing file reads as undefined, and everything else the thread does not
 * read in one go (large entries, errors, things that are not regular files) is read by `readEntryFile`, so
 * results and errors are the same either way. The thread starts on the first large batch (batches wait for
 * nobody meanwhile), keeps the process alive only while it has work, and ends after `IDLE_MS` idle; if it cannot
 * start or fails, every read goes through `readEntryFile`.
 */
class EntryReader {
  private queued: Read[] = [];
  private flushing = false;
  private thread: Worker | undefined;
  private threadReady = false;
  private threadBroken = false;
  private readonly inFlight = new Map<number, Read[]>();
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  read(file: string): Promise<Buffer | undefined> {
    if (file.includes("\0")) return readEntryFile(file); // (rejects) and could not be sent in a batch
    return new Promise((resolve, reject) => {
      this.queued.push({ file, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(this.flush);
      }
    });
  }

  private readonly flush = (): void => {
    this.flushing = false;
    const reads = this.queued;
    this.queued = [];
    if (reads.length >= BATCH_MIN && this.thread && this.threadReady) {
      this.send(reads);
      return;
    }
    if (reads.length >= START_MIN && !this.thread && !this.threadBroken) this.spawn();
    for (const read of reads) readAlone(read);
  };

  private send(reads: Read[]): void {
    const id = this.nextId++;
    this.inFlight.set(id, reads);
    if (this.idleTimer !== undefined) {
      clearTimeout(this.idleTimer);
      this.idleTimer = undefined;
    }
    if (this.inFlight.size === 1) this.thread!.ref(); // an answer is awaited: the process stays alive for it
    // one string: cloning it costs a fraction of cloning an array of paths
    let files = reads[0]!.file;
    for (let i = 1; i < reads.length; i++) files += `\0${reads[i]!.file}`;
    const request: ReadRequest = { id, files };
    this.thread!.postMessage(request);
  }

  private readonly received = (batch: ReadBatch): void => {
    const reads = this.inFlight.get(batch.id);
    if (!reads) return;
    this.inFlight.delete(batch.id);
    if (this.inFlight.size === 0) this.idle();
    const { sizes, bytes } = batch;
    let at = 0;
    for (let i = 0; i < reads.length; i++) {
      const size = sizes[i]!;
      if (size === ENTRY_READ_ELSEWHERE) readAlone(reads[i]!);
      else if (size === ENTRY_MISSING) reads[i]!.resolve(undefined);
      else {
        // a copy: a kept entry does not keep the whole batch in memory
        reads[i]!.resolve(Buffer.from(new Uint8Array(bytes, at, size)));
        at += size;
      }
    }
  };

  /** Starts the thread unless it runs or cannot; resolves to whether it is ready. */
  start(): Promise<boolean> {
    if (this.threadReady) return Promise.resolve(true);
    if (this.threadBroken) return Promise.resolve(false);
    if (!this.thread) this.spawn();
    const thread = this.thread;
    if (!thread) return Promise.resolve(false);
    thread.ref(); // the caller waits for it
    return new Promise((resolve) => {
      const answer = () => {
        thread.off("online", answer);
        thread.off("exit", answer);
        if (this.inFlight.size === 0) thread.unref();
        resolve(this.threadReady && this.thread === thread);
      };
      thread.on("online", answer);
      thread.on("exit", answer);
    });
  }

  private spawn(): void {
    let thread: Worker;
    try {
      thread = new Worker(join(__dirname, "entry-reader-thread.js"));
    } catch {
      this.threadBroken = true;
      return;
    }
    thread.unref();
    this.thread = thread;
    thread.on("online", () => {
      if (this.thread !== thread) return;
      this.threadReady = true;
      if (this.inFlight.size === 0) this.idle();
    });
    thread.on("message", this.received);
    thread.on("error", () => this.lost(thread, true));
    thread.on("exit", () => this.lost(thread, false));
  }

  /** No batch in flight: the thread lets the process exit, and ends after a while unless work comes. */
  private idle(): void {
    this.thread?.unref();
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      const thread = this.thread;
      if (!thread || this.inFlight.size > 0) return;
      this.forget();
      void thread.terminate();
    }, IDLE_MS);
    this.idleTimer.unref();
  }

  /** The thread failed or ended: its batches are read on the event loop. */
  private lost(thread: Worker, failed: boolean): void {
    if (this.thread !== thread) return;
    if (failed) this.threadBroken = true;
    const batches = [...this.inFlight.values()];
    this.inFlight.clear();
    this.forget();
    for (const reads of batches) for (const read of reads) readAlone(read);
  }

  private forget(): void {
    this.thread = undefined;
    this.threadReady = false;
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}

function readAlone(read: Read): void {
  readEntryFile(read.file).then(read.resolve, read.reject);
}

const reader = new EntryReader();

/** Starts the reader thread now (tests use it to take the batched path for sure); resolves to whether it runs. */
export function startEntryReader(): Promise<boolean> {
  return reader.start();
}

/** The bytes of the cache entry file at `file`, or undefined when there is none (see `EntryReader`). */
export function queueEntryRead(file: string): Promise<Buffer | undefined> {
  return reader.read(file);
}
