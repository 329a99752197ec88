import { type GraphIssue, GraphValidationError } from "../errors/graph-validation-error";
import { MoiraeError } from "../errors/moirae-error";
import { NodeHasher } from "../hashing/node-hash";
import { upstreamLineEnd } from "../hashing/topological-hash";
import type { NodeContainer } from "../metadata/node-container";
import type { NodeRegistry } from "../metadata/registry";
import type { NodeClass, NodeMetadata } from "../metadata/types";
import { messageOf } from "../util/error-text";
import { ArgumentChecker, type CheckedArguments } from "./check-arguments";
import { EntryChecker } from "./check-entry";
import { InputChecker, type InputShape } from "./check-inputs";
import { ReferenceChecker } from "./check-references";
import type { Draft } from "./draft";
import { Graph } from "./graph";
import type { GraphNode, Reference } from "./graph-node";
import { NodeTable } from "./node-table";
import type { ProblemSink } from "./problems";
import { topologicalOrder } from "./topological-order";

const NO_INPUTS: Readonly<Record<string, unknown>> = Object.freeze({});
const NO_REFERENCES: Readonly<Record<string, Reference>> = Object.freeze({});

/**
 * One build: checks every node of a spec (entry, class, arguments, inputs, references), orders them, hashes
 * them and makes the `Graph`, or throws one `GraphValidationError` with every problem. Nodes are numbered by
 * their position in the spec. A node whose parents are listed (and hashed) before it — every node of the usual
 * spec — is hashed as soon as it is checked, so that its canonical texts are never kept; the others wait as
 * drafts until the order is known. Once a problem is found, nothing more is hashed.
 */
export class GraphAssembler {
  private readonly table: NodeTable;
  /** Per-node problems, in spec order. */
  private readonly issues: GraphIssue[] = [];
  /** Reference problems, and the id of each one's node. */
  private readonly referenceIssues: GraphIssue[] = [];
  private readonly referenceIssueIds: number[] = [];
  private readonly entryChecker: EntryChecker;
  private readonly argumentChecker: ArgumentChecker;
  private readonly inputChecker = new InputChecker();
  private readonly referenceChecker: ReferenceChecker;
  private readonly hasher = new NodeHasher();
  /** Nodes that wait, by id. */
  private readonly drafts: (Draft | undefined)[];
  /** Nodes whose references name nodes later in the spec, checked after every node. */
  private readonly waiting: number[] = [];
  /** The node being checked, for `problem`. */
  private current = "";
  private readonly problem: ProblemSink = (path, code, message) =>
    this.issues.push({ node: this.current, path, code, message });

  constructor(
    names: readonly string[],
    private readonly entries: readonly unknown[],
    registry: NodeRegistry,
    container: NodeContainer,
  ) {
    this.table = new NodeTable(names);
    this.drafts = new Array(names.length);
    this.entryChecker = new EntryChecker(registry);
    this.argumentChecker = new ArgumentChecker(container);
    this.referenceChecker = new ReferenceChecker(this.table, this.referenceIssues, this.referenceIssueIds);
  }

  assemble(): Graph {
    const { table } = this;
    for (let id = 0; id < table.size; id++) this.checkNode(id);
    for (const id of this.waiting) this.checkWaiting(id);
    const parents = table.parentRows();
    const { order, cycles } = topologicalOrder(parents);
    const issues = this.issues;
    if (this.referenceIssues.length) issues.push(...this.sortedReferenceIssues());
    for (const cycle of cycles) issues.push(cycleIssue(cycle.map((id) => table.names[id]!)));
    if (issues.length) throw new GraphValidationError(issues);
    // Every node passed every check (a problem would have been an issue): hash the drafts in order.
    for (let k = 0; k < order.length; k++)
      if (table.nodes[order[k]!] === undefined) this.planDraft(order[k]!);
    return new Graph({
      ids: table.ids,
      names: table.names,
      nodes: table.nodes as readonly GraphNode[],
      metas: table.metas as readonly NodeMetadata[],
      order,
      parents,
    });
  }

  private get clean(): boolean {
    return this.issues.length === 0 && this.referenceIssues.length === 0;
  }

  /** Checks node `id` and hashes it when its parents are hashed (else keeps it as a draft). */
  private checkNode(id: number): void {
    const name = this.table.names[id]!;
    this.current = name;
    let meta: NodeMetadata | undefined;
    let args: CheckedArguments | undefined;
    try {
      const entry = this.entries[id];
      meta = this.entryChecker.check(name, entry, this.problem);
      if (meta === undefined) return;
      const given = (entry as { arguments?: unknown }).arguments;
      args = this.argumentChecker.check(name, meta, given, this.problem);
      this.inputChecker.check(name, meta, this.entryChecker.inputs, this.problem);
    } catch (error) {
      // A getter or Proxy trap in the entry that throws where no check reads it defensively.
      if (error instanceof MoiraeError) throw error;
      this.problem(
        name,
        "unreadable",
        `reading this node's spec threw: ${messageOf(error)}. A spec must be plain data.`,
      );
      return;
    }
    this.table.metas[id] = meta;
    const inputs = this.inputChecker;
    const { shape, referenceTexts, referenceDots } = inputs;
    let references = NO_REFERENCES;
    if (inputs.referenceCount > 0) {
      if (!this.referenceChecker.resolve(shape, referenceTexts, referenceDots, id)) {
        this.waiting.push(id);
        this.drafts[id] = this.draftOf(meta, args, undefined);
        return;
      }
      const checked = this.referenceChecker.check(id, meta, shape, referenceTexts, referenceDots);
      if (checked === undefined) return;
      references = checked;
    }
    if (args === undefined || !this.clean) return;
    const upstream = this.upstream(shape, referenceTexts, references, this.referenceChecker.lineEnds);
    if (upstream === undefined) this.drafts[id] = this.draftOf(meta, args, references);
    else {
      const literals = inputs.literals === undefined ? NO_INPUTS : Object.freeze(inputs.literals);
      this.plan(id, meta, args, literals, inputs.canonicalInputs, references, upstream);
    }
  }

  /** The node just checked as a draft (its reference texts copied: the input checker's are reused). */
  private draftOf(
    meta: NodeMetadata,
    args: CheckedArguments | undefined,
    references: Readonly<Record<string, Reference>> | undefined,
  ): Draft {
    const inputs = this.inputChecker;
    return {
      meta,
      args,
      literals: inputs.literals === undefined ? NO_INPUTS : Object.freeze(inputs.literals),
      canonicalInputs: inputs.canonicalInputs,
      shape: inputs.shape,
      referenceTexts: inputs.referenceTexts.slice(0, inputs.shape.fields.length),
      referenceDots: inputs.referenceDots.slice(0, inputs.shape.fields.length),
      references,
    };
  }

  /** Checks the references of a node that named nodes later in the spec, now that every node is checked. */
  private checkWaiting(id: number): void {
    const draft = this.drafts[id]!;
    const { shape, referenceTexts, referenceDots } = draft;
    this.referenceChecker.resolve(shape, referenceTexts, referenceDots, this.table.size);
    draft.references = this.referenceChecker.check(id, draft.meta, shape, referenceTexts, referenceDots);
  }

  /**
   * The upstream lines of the node whose references were resolved last, from its parents' hashes — or undefined
   * when a parent is not hashed yet (it waits).
   *
   * @param lineEnds the `upstreamLineEnd` of each reference by input field index, when known.
   */
  private upstream(
    shape: InputShape,
    texts: readonly (string | undefined)[],
    references: Readonly<Record<string, Reference>>,
    lineEnds: readonly string[] | undefined,
  ): string | undefined {
    if (references === NO_REFERENCES) return "";
    const { hashes } = this.table;
    const parents = this.referenceChecker.parents;
    let upstream = "";
    for (let k = 0; k < shape.sorted.length; k++) {
      const i = shape.sorted[k]!;
      if (texts[i] === undefined) continue;
      const hash = hashes[parents[i]!];
      if (hash === undefined) return undefined;
      const end = lineEnds === undefined ? upstreamLineEnd(references[shape.names[i]!]!.field) : lineEnds[i]!;
      upstream += shape.lineStarts[i]! + hash + end;
    }
    return upstream;
  }

  /** Hashes a draft whose parents are hashed. */
  private planDraft(id: number): void {
    const draft = this.drafts[id]!;
    const references = draft.references!;
    const { shape, referenceTexts, referenceDots } = draft;
    this.referenceChecker.resolve(shape, referenceTexts, referenceDots, this.table.size);
    const upstream = this.upstream(shape, referenceTexts, references, undefined)!;
    this.plan(id, draft.meta, draft.args!, draft.literals, draft.canonicalInputs, references, upstream);
    this.drafts[id] = undefined;
  }

  private plan(
    id: number,
    meta: NodeMetadata,
    args: CheckedArguments,
    literals: Readonly<Record<string, unknown>>,
    canonicalInputs: string,
    references: Readonly<Record<string, Reference>>,
    upstream: string,
  ): void {
    const hash = this.hasher.hash(meta, args.canonical, canonicalInputs, upstream);
    const node: GraphNode = Object.freeze({
      name: this.table.names[id]!,
      nodeClass: meta.target as NodeClass,
      arguments: args.args,
      inputs: literals,
      references,
      hash,
    });
    this.table.nodes[id] = node;
    this.table.hashes[id] = hash;
  }

  /** Reference problems by node in spec order (those of waiting nodes were found last). */
  private sortedReferenceIssues(): GraphIssue[] {
    const ids = this.referenceIssueIds;
    const positions = ids.map((_, i) => i).sort((a, b) => ids[a]! - ids[b]! || a - b);
    return positions.map((i) => this.referenceIssues[i]!);
  }
}

/** A cycle `a -> b -> … -> a`; a long one shows its first and last nodes and how many are left out. */
function cycleIssue(names: readonly string[]): GraphIssue {
  const shown =
    names.length <= 12
      ? names.join(" -> ")
      : `${names.slice(0, 6).join(" -> ")} -> …(${names.length - 10} more of ${names.length - 1} nodes)… -> ${names.slice(-4).join(" -> ")}`;
  return {
    node: names[0]!,
    path: names[0]!,
    code: "cycle",
    message: `cycle: ${shown}. A graph must be acyclic: remove one of these references.`,
  };
}
