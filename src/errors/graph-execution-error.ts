import { MoiraeError } from "./moirae-error";

/**
 * With `onError: "continue"`, one or more nodes failed. `outputs` holds every output that was produced;
 * `errors` holds every failure (`NodeExecutionError`) and skip (`NodeSkippedError`) by node name.
 */
export class GraphExecutionError extends MoiraeError {
  constructor(
    readonly outputs: Readonly<Record<string, object>>,
    readonly errors: Readonly<Record<string, Error>>,
  ) {
    const names = Object.keys(errors);
    super(
      `${names.length} ${names.length === 1 ? "node" : "nodes"} did not complete:\n` +
        names.map((n) => `  - ${n}: ${errors[n]!.message}`).join("\n"),
    );
  }
}
