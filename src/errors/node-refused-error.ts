import { NodeDefinitionError } from "./node-definition-error";

/**
 * A worker thread or worker process refused a task because its node class is not the coordinator's: the class is
 * not registered there, or its fingerprint (name, version, fields and source) differs — other code or another
 * version is deployed. Retrying cannot help, so the node is not retried. Old code never answers for a new hash.
 */
export class NodeRefusedError extends NodeDefinitionError {
  constructor(
    className: string,
    /** Where the task was refused: `"host:pid"` of a worker, or `"thread 3"`. */
    readonly worker: string,
    /** The fingerprint hash the coordinator sent. */
    readonly expectedFingerprint: string,
    /** The fingerprint hash of the class on the worker; undefined when the class is not registered there. */
    readonly actualFingerprint: string | undefined,
    /** Why the class is missing, when it is (e.g. its module failed to load). */
    detail?: string,
  ) {
    super(className, [
      actualFingerprint === undefined
        ? `${worker} has no node class registered under this name${detail ? ` (${detail})` : ""}. ` +
          "Load the module that defines it there (it must define the class at its top level)."
        : `${worker} runs another version of it (fingerprint ${actualFingerprint} there, ` +
          `${expectedFingerprint} on the coordinator). Deploy the same code to the coordinator and its workers.`,
    ]);
  }
}
