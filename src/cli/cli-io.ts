/** A stream the CLI writes to: `process.stdout` / `process.stderr`, or a fake in tests. */
export interface CliStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Where the CLI writes. */
export interface CliIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
}

/** The process's own streams. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr };
}
