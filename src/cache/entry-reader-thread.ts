// The thread behind `EntryReader`: reads batches of small cache entry files with synchronous calls (one thread,
// no thread-pool round trips) and sends their bytes back in one buffer. Anything but a small regular file read in
// one go — a missing file aside — is left to the event loop's reader, which reports it exactly.
import * as fs from "node:fs";
import { parentPort } from "node:worker_threads";
import {
  ENTRY_MISSING,
  ENTRY_READ_ELSEWHERE,
  type ReadBatch,
  type ReadRequest,
  SMALL_ENTRY_BYTES,
} from "./entry-read-batch";

const OPEN_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK;
const scratch = Buffer.allocUnsafeSlow(SMALL_ENTRY_BYTES);

parentPort?.on("message", (message: ReadRequest) => {
  const { id } = message;
  const files = message.files.split("\0");
  const sizes = new Int32Array(files.length);
  const chunks: Buffer[] = [];
  let total = 0;
  for (let i = 0; i < files.length; i++) {
    const n = readSmall(files[i]!);
    sizes[i] = n;
    if (n > 0) {
      chunks.push(Buffer.from(scratch.subarray(0, n)));
      total += n;
    }
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  const batch: ReadBatch = { id, sizes, bytes: bytes.buffer };
  parentPort!.postMessage(batch, [bytes.buffer]);
});

/** The entry's length (its bytes in `scratch`), `ENTRY_MISSING`, or `ENTRY_READ_ELSEWHERE`. */
function readSmall(file: string): number {
  let fd: number;
  try {
    fd = fs.openSync(file, OPEN_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" || code === "ENOTDIR" ? ENTRY_MISSING : ENTRY_READ_ELSEWHERE;
  }
  try {
    const n = fs.readSync(fd, scratch, 0, SMALL_ENTRY_BYTES, 0);
    // empty (or a FIFO without a writer), or larger than one read: the event loop's reader decides
    return n > 0 && n < SMALL_ENTRY_BYTES ? n : ENTRY_READ_ELSEWHERE;
  } catch {
    return ENTRY_READ_ELSEWHERE;
  } finally {
    try {
      fs.closeSync(fd);
    } catch {
      // nothing was written through it
    }
  }
}
