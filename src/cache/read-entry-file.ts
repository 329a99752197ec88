import * as fs from "node:fs";

/** The first read takes this much; a larger entry is read whole after an `fstat`. */
const FIRST_READ = 16 * 1024;
/** Opened non-blocking: a FIFO or a terminal at an entry's path never holds a libuv thread. */
const OPEN_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK;
/** First-read buffers kept for reuse (at most this many: 1 MiB). */
const SPARE_LIMIT = 64;
const spare: Buffer[] = [];

/**
 * The bytes of the file at `file`, or undefined when there is none (`ENOENT`, `ENOTDIR`). Built for many small
 * reads: two thread-pool round trips (open, one read into a reused buffer) where `fs.promises.readFile` takes
 * four, and the descriptor is closed at once on this thread — closing a descriptor opened read-only writes
 * nothing back, so it does not wait on the disk, and a third round trip would cost a warm hit a quarter of its
 * time (something that is not a regular file is closed on the thread pool). An entry larger than the first read takes an `fstat` and a second read. It never blocks on something
 * that is not a regular file (a FIFO, socket, device or directory): it is opened with `O_NONBLOCK`, and when the
 * first read is short or full, `fstat` says whether it is a regular file; one that is not rejects with an error
 * whose `code` is `ENOTREG` and whose message says what the path is.
 */
export function readEntryFile(file: string): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    fs.open(file, OPEN_FLAGS, (openError, fd) => {
      if (openError) {
        if (openError.code === "ENOENT" || openError.code === "ENOTDIR") resolve(undefined);
        else reject(openError);
        return;
      }
      const done = (error: Error | undefined, bytes?: Buffer, closeLater = false) => {
        if (closeLater) fs.close(fd, () => {});
        else {
          try {
            fs.closeSync(fd);
          } catch {
            // the bytes (or the error) are what counts; the descriptor is released either way
          }
        }
        if (error) reject(error);
        else resolve(bytes);
      };
      const first = spare.pop() ?? Buffer.allocUnsafeSlow(FIRST_READ);
      fs.read(fd, first, 0, FIRST_READ, 0, (readError, n) => {
        // A regular file read short is all there is; anything else (a failed read too) is checked with fstat.
        if (!readError && n > 0 && n < FIRST_READ) {
          const bytes = Buffer.from(first.subarray(0, n));
          release(first);
          return done(undefined, bytes);
        }
        fs.fstat(fd, (statError, stat) => {
          const regular = !statError && stat.isFile();
          const error = statError ?? (regular ? readError : notRegular(file, stat));
          if (error || stat.size <= n) {
            const bytes = error ? undefined : Buffer.from(first.subarray(0, n));
            release(first);
            // a device's driver may do work on close: off this thread
            return done(error ?? undefined, bytes, !regular);
          }
          const whole = Buffer.allocUnsafe(stat.size);
          first.copy(whole, 0, 0, n);
          release(first);
          readRest(fd, whole, n, done);
        });
      });
    });
  });
}

function release(buffer: Buffer): void {
  if (spare.length < SPARE_LIMIT) spare.push(buffer);
}

function readRest(fd: number, whole: Buffer, from: number, done: (error?: Error, bytes?: Buffer) => void) {
  fs.read(fd, whole, from, whole.length - from, from, (error, n) => {
    if (error) return done(error);
    if (n === 0 || from + n === whole.length) return done(undefined, whole.subarray(0, from + n));
    readRest(fd, whole, from + n, done);
  });
}

function notRegular(file: string, stat: fs.Stats): NodeJS.ErrnoException {
  const what = stat.isFIFO()
    ? "a FIFO (named pipe)"
    : stat.isSocket()
      ? "a socket"
      : stat.isDirectory()
        ? "a directory"
        : stat.isCharacterDevice() || stat.isBlockDevice()
          ? "a device"
          : "not a regular file";
  const error: NodeJS.ErrnoException = new Error(`${file} is ${what}, not a regular file`);
  error.code = "ENOTREG";
  return error;
}
