import { UnhashableValueError } from "../errors/unhashable-value-error";
import type { ValidationIssue } from "../errors/validation-issue";
import { canonicalEncode } from "../hashing/canonical";
import type { NodeContainer } from "../metadata/node-container";
import type { NodeMetadata } from "../metadata/types";
import { copyValue } from "../util/copy-value";
import { isThenable } from "../util/is-thenable";
import { type ArgumentsCheck, checkArguments } from "../validation/resolve-arguments";
import { type ProblemSink, unhashableCode } from "./problems";

/** A node's resolved arguments and their canonical text. */
export interface CheckedArguments {
  readonly args: Readonly<Record<string, unknown>>;
  readonly canonical: string;
}

/** One problem of a (class, arguments) pair: `subpath` is appended to the node's `arguments` path. */
interface ArgumentProblem {
  readonly subpath: string;
  readonly code: string;
  readonly message: string;
}

type Memo =
  | { readonly ok: true; readonly value: CheckedArguments }
  | { readonly ok: false; readonly problems: readonly ArgumentProblem[] };

/**
 * Checks the arguments of the nodes of one build, once per (class, arguments) pair: unknown, missing and invalid
 * arguments, defaults filled in from an instance of the class, and the resolved values hashable.
 */
export class ArgumentChecker {
  /** Per class, the outcome for each canonical text of the given arguments ("" when none are given). */
  private readonly memo = new Map<NodeMetadata, Map<string, Memo>>();
  private readonly defaults = new Map<Function, object | undefined>();
  /** The last class whose nodes gave no arguments and passed, and their resolved defaults. */
  private lastMeta: NodeMetadata | undefined;
  private lastDefaults: CheckedArguments | undefined;

  /** @param container where node classes whose constructors need services are constructed to read defaults. */
  constructor(private readonly container: NodeContainer) {}

  /** The resolved arguments of node `name`, or undefined after reporting every problem. */
  check(
    name: string,
    meta: NodeMetadata,
    given: unknown,
    problem: ProblemSink,
  ): CheckedArguments | undefined {
    if (given === undefined && meta === this.lastMeta) return this.lastDefaults;
    let memo = this.memo.get(meta);
    if (memo === undefined) {
      memo = new Map();
      this.memo.set(meta, memo);
    }
    let checked: Memo | undefined;
    let key: string | undefined;
    try {
      key = given === undefined ? "" : canonicalEncode(given, "");
      checked = memo.get(key);
    } catch (error) {
      checked = unhashable(error);
    }
    if (!checked) {
      checked = this.resolve(meta, given);
      if (key !== undefined) memo.set(key, checked);
    }
    if (checked.ok) {
      if (given === undefined) {
        this.lastMeta = meta;
        this.lastDefaults = checked.value;
      }
      return checked.value;
    }
    const path = `${name}.arguments`;
    for (const p of checked.problems) problem(path + p.subpath, p.code, p.message);
    return undefined;
  }

  private resolve(meta: NodeMetadata, given: unknown): Memo {
    const instance = this.defaultsOf(meta);
    const checked: ArgumentsCheck =
      instance === undefined
        ? {
            ok: false,
            issues: [
              {
                path: "",
                constraints: {
                  cannotConstruct: `${meta.name} could not be constructed to read its argument defaults; register its constructor services in the container given to buildGraph`,
                },
              },
            ],
          }
        : checkArguments(meta.target, given, instance);
    if (!checked.ok) return { ok: false, problems: checked.issues.map(argumentProblem) };
    try {
      // A copy: the graph keeps the values its hash is computed from, whatever later happens to the spec.
      const args = Object.freeze(copyValue(checked.value) as Record<string, unknown>);
      return { ok: true, value: { args, canonical: canonicalEncode(args, "") } };
    } catch (error) {
      return unhashable(error);
    }
  }

  /** An instance of the class to read argument defaults from: constructed without services if it can be. */
  private defaultsOf(meta: NodeMetadata): object | undefined {
    if (this.defaults.has(meta.target)) return this.defaults.get(meta.target);
    let instance: object | undefined;
    try {
      instance = Reflect.construct(meta.target, []);
    } catch {
      try {
        const resolved = this.container.resolve(meta.target as new () => object);
        if (isThenable(resolved))
          resolved.then(undefined, () => {}); // a build is synchronous
        else instance = resolved;
      } catch {
        instance = undefined;
      }
    }
    this.defaults.set(meta.target, instance);
    return instance;
  }
}

/** The memo of arguments that cannot be hashed (rethrows anything but `UnhashableValueError`). */
function unhashable(error: unknown): Memo {
  if (!(error instanceof UnhashableValueError)) throw error;
  return {
    ok: false,
    problems: [
      {
        subpath: error.path,
        code: unhashableCode(error),
        message: `${error.reason}. Arguments must be plain data.`,
      },
    ],
  };
}

function argumentProblem(issue: ValidationIssue): ArgumentProblem {
  return {
    subpath: issue.path ? `.${issue.path}` : "",
    code: argumentIssueCode(issue.constraints),
    message: `${Object.values(issue.constraints).join("; ")}.`,
  };
}

/** The issue code of one failed argument check. */
function argumentIssueCode(constraints: Readonly<Record<string, string>>): string {
  if ("unknownArgument" in constraints) return "unknown-argument";
  if ("cannotConstruct" in constraints) return "cannot-construct";
  if ("isDefined" in constraints) return "missing-argument";
  if ("too-deep" in constraints) return "too-deep";
  if ("cycle" in constraints || "unreadable" in constraints || "opaque" in constraints) return "unhashable";
  return "invalid-argument";
}
