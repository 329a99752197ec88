/** The exit codes of the `moirae` command. */
export const ExitCode = Object.freeze({
  /** The command did what was asked. */
  Success: 0,
  /** A run failed (a node failed) or a spec is invalid. */
  Failure: 1,
  /** The command line is wrong: bad flag, missing file, unparsable spec, a module that fails to load. */
  Usage: 2,
  /** The run was interrupted (Ctrl-C): 128 + SIGINT. */
  Interrupted: 130,
});

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
