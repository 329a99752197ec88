import { Command } from "commander";
import { type CliIo, processIo } from "./cli-io";
import type { CommandContext } from "./command-context";
import { cacheCommand } from "./commands/cache";
import { explainCommand } from "./commands/explain";
import { graphCommand } from "./commands/graph";
import { runCommand } from "./commands/run";
import { validateCommand } from "./commands/validate";
import { workerCommand } from "./commands/worker";
import { ExitCode } from "./exit-codes";
import { packageVersion } from "./package-version";
import { reportError } from "./report-error";

/** The `moirae` commander program, writing to `ctx.io`; errors throw instead of exiting the process. */
export function createProgram(ctx: CommandContext): Command {
  const { io } = ctx;
  const program = new Command("moirae")
    .description("Run, check, draw and explain moirae graph specs (JSON or YAML).")
    .version(packageVersion(), "-V, --version", "print the moirae version")
    .option("--verbose", "print stack traces with errors")
    .helpOption("-h, --help", "print help")
    .helpCommand("help [command]", "print help for a command")
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // One line: commander puts its "(Did you mean …?)" on a line of its own.
      outputError: (text, write) => write(`${text.trimEnd().replace(/\s*\n\s*/g, " ")}\n`),
    });
  runCommand(program.command("run"), ctx);
  validateCommand(program.command("validate"), ctx);
  graphCommand(program.command("graph"), ctx);
  explainCommand(program.command("explain"), ctx);
  cacheCommand(program.command("cache"), ctx);
  workerCommand(program.command("worker"), ctx);
  return program;
}

/**
 * Runs the CLI with `argv` (`process.argv`: node, script, arguments…) and resolves to the exit code; never
 * exits the process itself.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<ExitCode> {
  let code: ExitCode = ExitCode.Success;
  const verbose = () => program.opts().verbose === true || argv.includes("--verbose");
  const program: Command = createProgram({
    io,
    exit: (next) => {
      if (code === ExitCode.Success) code = next;
    },
    verbose,
  });
  try {
    await program.parseAsync([...argv]);
    return code;
  } catch (error) {
    return reportError(error, io, verbose());
  }
}

/** Runs the CLI on `process.argv` and exits with its code once standard output and error are flushed. */
export async function runCli(argv: readonly string[] = process.argv): Promise<void> {
  exitQuietlyOnClosedPipe(process.stdout);
  exitQuietlyOnClosedPipe(process.stderr);
  const code = await main(argv);
  process.exitCode = code;
  // Exit even if a node left a timer or socket open, but only after what was written has been flushed.
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write("", done);
  process.stderr.write("", done);
}

/**
 * When the reader of `stream` goes away (`moirae run … --json | head -1`), writing fails with EPIPE: stop at once,
 * quietly (exit 0: the reader has all it wanted), instead of dying on an unhandled 'error' event with a stack.
 */
function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(ExitCode.Success);
    throw error;
  });
}

if (require.main === module) void runCli();
