import { quoted } from "../util/excerpt";
import { suggestionText } from "../util/suggest";
import { GraphValidationError } from "./graph-validation-error";

/**
 * A graph was asked about a node it does not have (`graph.hashOf("nope")`, `explainHash(graph, "nope")`).
 * It is a `GraphValidationError` with one `unknown-node` issue, so code that catches those keeps working.
 */
export class UnknownNodeError extends GraphValidationError {
  constructor(
    /** The name that was asked for. */
    readonly node: string,
    /** Close names among the graph's nodes, closest first. */
    readonly suggestions: readonly string[] = [],
  ) {
    const hint = suggestionText(suggestions);
    const message = `the graph has no node ${quoted(node)}${hint} Ask for one of graph.order.`;
    super([{ node, path: node, code: "unknown-node", message }]);
    this.message = `No such node: ${message}`;
  }
}
