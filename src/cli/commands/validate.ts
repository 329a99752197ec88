import type { Command } from "commander";
import type { CommandContext } from "../command-context";
import { graphSource } from "../options";
import type { ValidateOptions } from "./validate-action";

/** Loaded when the command runs, so that `moirae --help` loads none of it. */
const action = () => require("./validate-action") as typeof import("./validate-action");

/** `moirae validate <spec> --require …`: every problem of the spec (exit 1), or a one-line summary (exit 0). */
export function validateCommand(command: Command, ctx: CommandContext): Command {
  return graphSource(command)
    .description("check a spec and print every problem (exit 1), or a one-line summary when it is valid")
    .option("--json", "print one JSON object: { valid, nodes, edges } or { valid: false, issues }")
    .action((file: string | undefined, options: ValidateOptions) => action().validate(ctx, file, options));
}
