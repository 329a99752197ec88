/** What the reader thread is sent: a batch's file paths, joined by NUL characters (which no path holds). */
export interface ReadRequest {
  readonly id: number;
  readonly files: string;
}

/** What the reader thread sends back for a batch: each file's length, and their bytes one after the other. */
export interface ReadBatch {
  readonly id: number;
  /** By file: its length in `bytes`, `ENTRY_MISSING` or `ENTRY_READ_ELSEWHERE`. */
  readonly sizes: Int32Array;
  readonly bytes: ArrayBuffer;
}

/** No file at the path (`ENOENT`, `ENOTDIR`). */
export const ENTRY_MISSING = -1;
/** Not a small regular file read in one go (larger, empty, not a regular file, or an error): read on the event loop. */
export const ENTRY_READ_ELSEWHERE = -2;
/** The reader thread returns entries shorter than this; longer ones are read on the event loop. */
export const SMALL_ENTRY_BYTES = 16 * 1024;
