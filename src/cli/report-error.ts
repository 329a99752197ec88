import { CommanderError } from "commander";
import { CacheConfigurationError } from "../errors/cache-configuration-error";
import type { CliIo } from "./cli-io";
import { causeLines, oneLine, verboseError } from "./describe-error";
import { ExitCode } from "./exit-codes";
import { InvalidSpecError } from "./invalid-spec-error";
import { UsageError } from "./usage-error";

/**
 * Prints an error that ended a command and returns the exit code: usage errors (commander's, `UsageError`, a
 * bad cache configuration) exit 2 with one line; an invalid spec exits 1 with its problems; anything else exits
 * 1 with its message and causes. `verbose` adds the stacks.
 */
export function reportError(error: unknown, io: CliIo, verbose: boolean): ExitCode {
  if (error instanceof CommanderError) {
    // commander has printed its message already; help and --version end with exit code 0.
    if (error.exitCode === 0) return ExitCode.Success;
    return ExitCode.Usage;
  }
  const write = (text: string) => io.stderr.write(`${text}\n`);
  if (error instanceof InvalidSpecError) {
    write(error.lines.join("\n"));
    return ExitCode.Failure;
  }
  const usage = error instanceof UsageError || error instanceof CacheConfigurationError;
  write(`error: ${usage ? (error as Error).message.replace(/\s*\n\s*/g, " ") : oneLine(error)}`);
  if (verbose) write(verboseError(error));
  else if (!usage)
    for (const line of causeLines(error)) write(`  caused by ${line.replace(/\s*\n\s*/g, " ")}`);
  return usage ? ExitCode.Usage : ExitCode.Failure;
}
