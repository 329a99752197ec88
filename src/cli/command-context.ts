import type { CliIo } from "./cli-io";
import type { ExitCode } from "./exit-codes";

/** What a command's action gets besides its arguments: where to write and how to set the exit code. */
export interface CommandContext {
  readonly io: CliIo;
  /** Sets the exit code `main` returns. */
  exit(code: ExitCode): void;
  /** Whether `--verbose` was given: print stack traces. */
  verbose(): boolean;
}
