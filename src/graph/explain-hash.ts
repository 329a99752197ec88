import { inspect } from "node:util";
import { GraphValidationError } from "../errors/graph-validation-error";
import { UnknownNodeError } from "../errors/unknown-node-error";
import { canonicalEncode } from "../hashing/canonical";
import type { Fingerprint, UpstreamComponent } from "../hashing/hash-components";
import { hashComponents } from "../hashing/node-hash";
import { suggestAll } from "../util/suggest";
import { Graph } from "./graph";

/** The components of one node's topological hash, as `explainHash` returns them. */
export interface HashExplanation {
  readonly node: string;
  readonly hash: string;
  readonly formatVersion: number;
  readonly fingerprint: Fingerprint;
  /** Resolved arguments (defaults filled in). */
  readonly arguments: Readonly<Record<string, unknown>>;
  /** Literal inputs. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Referenced inputs: input field → upstream node, its output field and its hash. */
  readonly upstream: Readonly<
    Record<string, { readonly node: string; readonly field: string; readonly hash: string }>
  >;
}

/**
 * The components a node's hash was computed from: the class fingerprint (registered name, version, field lists,
 * source), the resolved arguments, the literal inputs and the upstream hashes by input.
 *
 * @example
 * explainHash(graph, "c").upstream; // { x: { node: "b", field: "o", hash: "ce96…" }, y: { node: "a", … } }
 */
export function explainHash(graph: Graph, node: string): HashExplanation {
  if (!(graph instanceof Graph)) throw notAGraph("explainHash", "graph", graph, false);
  const plan = typeof node === "string" ? graph.plans.get(node) : undefined;
  if (!plan) throw new UnknownNodeError(String(node), suggestAll(String(node), graph.nodes.keys()));
  const upstream: Record<string, UpstreamComponent> = {};
  const references = plan.node.references;
  for (const input of Object.keys(references).sort()) {
    const { node: parent, field } = references[input]!;
    upstream[input] = { node: parent, field, hash: graph.hashOf(parent) };
  }
  const components = hashComponents(plan.meta, plan.node.arguments, plan.node.inputs, upstream);
  return {
    node,
    hash: plan.node.hash,
    formatVersion: components.formatVersion,
    fingerprint: components.fingerprint,
    arguments: components.arguments,
    inputs: components.inputs,
    upstream: components.upstream,
  };
}

/**
 * Says in words why `node`'s hash differs between two graphs (or two recorded explanations): one sentence per
 * changed component, e.g. `argument coef: 2 → 3`, `source of AddMul changed (execute or another method)`,
 * `upstream a (input y) changed`. Empty when the hashes are equal.
 *
 * @example
 * diffHashes(before, after, "c"); // ["upstream a (input y) changed"]
 */
export function diffHashes(
  before: Graph | HashExplanation,
  after: Graph | HashExplanation,
  node: string,
): string[] {
  const a = explanationOf(before, "before", node);
  const b = explanationOf(after, "after", node);
  if (a.hash === b.hash) return [];
  const out: string[] = [];
  if (a.formatVersion !== b.formatVersion)
    out.push(`hash format version: ${a.formatVersion} → ${b.formatVersion}`);
  const fa = a.fingerprint;
  const fb = b.fingerprint;
  const cls = fb.name;
  if (fa.name !== fb.name) out.push(`node class: ${fa.name} → ${fb.name}`);
  if (fa.version !== fb.version) out.push(`version of ${cls}: ${show(fa.version)} → ${show(fb.version)}`);
  for (const part of ["input", "output", "arguments"] as const) {
    const change = listChange(fa[part], fb[part]);
    if (change) out.push(`${part === "arguments" ? "argument" : part} fields of ${cls}: ${change}`);
  }
  if (fa.source !== fb.source) out.push(`source of ${cls} changed (execute or another method)`);
  valueChanges("argument", a.arguments, b.arguments, out);
  const inputs = new Set([
    ...Object.keys(a.inputs),
    ...Object.keys(b.inputs),
    ...Object.keys(a.upstream),
    ...Object.keys(b.upstream),
  ]);
  for (const input of [...inputs].sort()) {
    const ua = a.upstream[input];
    const ub = b.upstream[input];
    if (ua && ub) {
      if (ua.node !== ub.node || ua.field !== ub.field) {
        out.push(`input ${input}: now from ${ub.node}.${ub.field} (was ${ua.node}.${ua.field})`);
      } else if (ua.hash !== ub.hash) out.push(`upstream ${ub.node} (input ${input}) changed`);
    } else if (ua || ub) {
      const was = ua
        ? `${ua.node}.${ua.field}`
        : input in a.inputs
          ? `literal ${show(a.inputs[input])}`
          : "(absent)";
      const now = ub
        ? `${ub.node}.${ub.field}`
        : input in b.inputs
          ? `literal ${show(b.inputs[input])}`
          : "(absent)";
      out.push(`input ${input}: ${was} → ${now}`);
    } else if (!same(a.inputs[input], b.inputs[input], input in a.inputs, input in b.inputs)) {
      out.push(`input ${input}: ${showPresent(a.inputs, input)} → ${showPresent(b.inputs, input)}`);
    }
  }
  if (out.length === 0)
    out.push("the hash changed, but no component differs (was it computed by another moirae version?)");
  return out;
}

/** The explanation of `node` in a graph, or a recorded explanation checked for the fields `diffHashes` reads. */
function explanationOf(value: Graph | HashExplanation, role: string, node: string): HashExplanation {
  if (value instanceof Graph) return explainHash(value, node);
  const e = value as Partial<Record<keyof HashExplanation, unknown>> | null;
  const isRecord = (v: unknown) => typeof v === "object" && v !== null;
  const f = isRecord(e?.fingerprint)
    ? (e!.fingerprint as Partial<Record<keyof Fingerprint, unknown>>)
    : undefined;
  const ok =
    isRecord(e) &&
    typeof e!.hash === "string" &&
    f !== undefined &&
    typeof f.name === "string" &&
    typeof f.source === "string" &&
    Array.isArray(f.input) &&
    Array.isArray(f.output) &&
    Array.isArray(f.arguments) &&
    isRecord(e!.arguments) &&
    isRecord(e!.inputs) &&
    isRecord(e!.upstream) &&
    Object.values(e!.upstream as object).every((u) => isRecord(u));
  if (!ok) throw notAGraph("diffHashes", role, value, true);
  return value as HashExplanation;
}

function notAGraph(fn: string, role: string, value: unknown, explanation: boolean): GraphValidationError {
  const what = explanation ? "a Graph or a HashExplanation (from explainHash)" : "a Graph (from buildGraph)";
  return new GraphValidationError([
    {
      node: "",
      path: role,
      code: "not-a-graph",
      message: `${fn}: "${role}" must be ${what}, got ${describeKind(value)}.`,
    },
  ]);
}

function describeKind(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return `a ${typeof value}`;
  if (Array.isArray(value)) return "an array";
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === "string" && name !== "Object"
    ? `a ${name}`
    : "an object without the expected fields";
}

function valueChanges(
  what: string,
  a: Readonly<Record<string, unknown>>,
  b: Readonly<Record<string, unknown>>,
  out: string[],
): void {
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (!same(a[key], b[key], key in a, key in b))
      out.push(`${what} ${key}: ${showPresent(a, key)} → ${showPresent(b, key)}`);
  }
}

function same(x: unknown, y: unknown, hasX: boolean, hasY: boolean): boolean {
  if (hasX !== hasY) return false;
  try {
    return canonicalEncode(x) === canonicalEncode(y);
  } catch {
    return false;
  }
}

function listChange(a: readonly string[], b: readonly string[]): string | undefined {
  const removed = a.filter((f) => !b.includes(f));
  const added = b.filter((f) => !a.includes(f));
  if (!removed.length && !added.length) return undefined;
  return [
    removed.length ? `removed ${removed.join(", ")}` : "",
    added.length ? `added ${added.join(", ")}` : "",
  ]
    .filter(Boolean)
    .join("; ");
}

function showPresent(record: Readonly<Record<string, unknown>>, key: string): string {
  return key in record ? show(record[key]) : "(absent)";
}

function show(value: unknown): string {
  return inspect(value, {
    depth: 4,
    breakLength: Number.POSITIVE_INFINITY,
    maxStringLength: 80,
    maxArrayLength: 10,
  });
}
