import { types } from "node:util";
import { MAX_VALUE_DEPTH } from "../constants";
import { tooDeepReason } from "../errors/value-too-deep-error";
import { messageOf } from "./error-text";
import { isAtomicBuiltIn, joinPath, opaqueReason, pathSegment } from "./value-kinds";

/** Why a value cannot be validated, copied, hashed or cached safely, and where. */
export interface ValueProblem {
  /** Where, e.g. `data[0].x` (after the caller's base path). */
  readonly path: string;
  /**
   * `too-deep`, `cycle`, `unreadable` (reading it threw), `opaque` (a built-in with hidden state), or `string`
   * (a string the caller's `badString` flagged; `reason` is then the string).
   */
  readonly code: "too-deep" | "cycle" | "unreadable" | "opaque" | "string";
  readonly reason: string;
}

/** Options of `findValueProblem`. */
export interface ValueCheckOptions {
  /** The deepest level a container may be at: the root is level 0, its members level 1. */
  readonly maxDepth: number;
  /** Flags a string held (at any depth) by arrays and plain objects only — the strings of a spec literal. */
  readonly badString?: (text: string) => boolean;
}

/** A container being walked: its members are visited one per step. */
interface Frame {
  readonly container: object;
  /** Object keys, or undefined for arrays and flattened Map / Set members. */
  readonly keys: readonly string[] | undefined;
  readonly members: readonly unknown[] | undefined;
  readonly length: number;
  /** Whether this container and all above it are arrays or plain objects. */
  readonly plain: boolean;
  index: number;
  /** The path segment of the member being visited. */
  segment: string;
}

/**
 * Walks `root` without recursion (so any depth is safe) and returns its first problem: a container deeper than
 * `maxDepth`, a cycle, a property or iterator that throws when read, a built-in object with hidden state (a URL…),
 * or a string `badString` flags. Arrays, plain objects, class instances (own enumerable fields), Maps and Sets are
 * walked; holes read as `undefined`.
 */
export function findValueProblem(
  root: unknown,
  basePath: string,
  options: ValueCheckOptions,
): ValueProblem | undefined {
  const { maxDepth, badString } = options;
  if (typeof root === "string") {
    return badString?.(root) ? { path: basePath, code: "string", reason: root } : undefined;
  }
  if (root === null || typeof root !== "object") return undefined;
  const stack: Frame[] = [];
  const ancestors = new Set<object>();
  const problem = (code: ValueProblem["code"], reason: string): ValueProblem => {
    const path = joinPath(
      basePath,
      stack.map((f) => f.segment),
    );
    return { path: basePath === "" && path.startsWith(".") ? path.slice(1) : path, code, reason };
  };
  const open = (value: object): ValueProblem | undefined => {
    if (isAtomicBuiltIn(value)) return undefined;
    const opaque = opaqueReason(value);
    if (opaque !== undefined) return problem("opaque", opaque);
    if (ancestors.has(value)) return problem("cycle", "it is a cycle back to one of its containers");
    if (stack.length > maxDepth) return problem("too-deep", tooDeepReason(MAX_VALUE_DEPTH));
    const parentPlain = stack.length === 0 || stack[stack.length - 1]!.plain;
    let frame: Frame;
    try {
      if (Array.isArray(value)) {
        frame = frameOf(value, undefined, undefined, value.length, parentPlain);
      } else if (types.isMap(value)) {
        const members: unknown[] = [];
        for (const [k, v] of value as Map<unknown, unknown>) members.push(k, v);
        frame = frameOf(value, undefined, members, members.length, false);
      } else if (types.isSet(value)) {
        const members = Array.from(value as Set<unknown>);
        frame = frameOf(value, undefined, members, members.length, false);
      } else {
        const keys = Object.keys(value);
        const plain = parentPlain && Object.getPrototypeOf(value) === Object.prototype;
        frame = frameOf(value, keys, undefined, keys.length, plain);
      }
    } catch (error) {
      return problem("unreadable", `listing its members threw: ${messageOf(error)}`);
    }
    stack.push(frame);
    ancestors.add(value);
    return undefined;
  };
  const first = open(root);
  if (first) return first;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.index >= frame.length) {
      stack.pop();
      ancestors.delete(frame.container);
      continue;
    }
    const i = frame.index++;
    let member: unknown;
    if (frame.members !== undefined) {
      frame.segment = types.isMap(frame.container) ? (i % 2 ? "<map value>" : "<map key>") : "<set member>";
      member = frame.members[i];
    } else {
      const key = frame.keys === undefined ? i : frame.keys[i]!;
      frame.segment = pathSegment(key);
      try {
        member = (frame.container as Record<string | number, unknown>)[key];
      } catch (error) {
        return problem("unreadable", `reading it threw: ${messageOf(error)}`);
      }
    }
    if (typeof member === "object" && member !== null) {
      const found = open(member);
      if (found) return found;
    } else if (typeof member === "string" && frame.plain && badString?.(member)) {
      return problem("string", member);
    }
  }
  return undefined;
}

function frameOf(
  container: object,
  keys: readonly string[] | undefined,
  members: readonly unknown[] | undefined,
  length: number,
  plain: boolean,
): Frame {
  return { container, keys, members, length, plain, index: 0, segment: "" };
}
