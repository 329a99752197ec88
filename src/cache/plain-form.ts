import { types } from "node:util";
import { MAX_VALUE_DEPTH } from "../constants";
import { tooDeepReason } from "../errors/value-too-deep-error";
import { isPlainObject } from "../util/is-plain-object";
import { joinPath } from "../util/value-kinds";

/**
 * The form of an output the codec packs with msgpackr: plain objects, arrays, primitives, Dates, RegExps, typed
 * arrays (Buffers included), ArrayBuffers and DataViews, which msgpackr (with `moreTypes`) restores exactly, plus
 * a list of tags for the values it cannot restore by itself. Each tag is `[kind, ...path]`, the path made of
 * object keys (strings) and array indices (numbers) into the plain form:
 *
 * | kind | value in the plain form            | restored as                |
 * |------|------------------------------------|----------------------------|
 * | 1    | an array of `[key, value]` entries | a `Map`                    |
 * | 2    | an array of members                | a `Set`                    |
 * | 3    | `0`                                | `-0` (msgpack writes an integer 0) |
 * | 4    | the JSON text of the string        | a string with a lone surrogate (UTF-8 cannot hold it) |
 *
 * Tags are listed parent before child and applied in reverse order, so a tag's path always runs through plain
 * objects and arrays.
 */
export interface PlainForm {
  readonly plain: Record<string, unknown>;
  readonly tags: readonly (readonly (string | number)[])[];
}

export const TAG_MAP = 1;
export const TAG_SET = 2;
export const TAG_NEGATIVE_ZERO = 3;
export const TAG_ILL_FORMED_STRING = 4;

const isWellFormed = (String.prototype as unknown as { isWellFormed(this: string): boolean }).isWellFormed;
const objectToString = Object.prototype.toString;

/** Why a value has no plain form, and where it is (`output.items[2].fn`). */
export class PlainFormProblem {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {}
}

/**
 * The plain form of `output` (an object with fields). Class instances become plain objects of their own
 * enumerable properties (undefined ones included); shared references are copied. Returns a `PlainFormProblem`
 * for a function, a symbol, a cycle or an object that is not data.
 */
export function toPlainForm(output: object): PlainForm | PlainFormProblem {
  if (output === null || typeof output !== "object" || !isRecordLike(output)) {
    return new PlainFormProblem("output", `is ${describeKind(output)}, not an object with fields`);
  }
  const flat = flatPlainForm(output);
  if (flat) return flat;
  const encoder = new PlainEncoder();
  try {
    const plain = encoder.root(output);
    return { plain, tags: encoder.tags };
  } catch (error) {
    if (error instanceof PlainFormProblem) return error;
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      return new PlainFormProblem(encoder.pathText(), "nests too deeply to be cached");
    }
    throw error;
  }
}

const NO_TAGS: PlainForm["tags"] = Object.freeze([]);

/**
 * The plain form of a record whose fields all hold primitives that need no tag (the usual node input and output):
 * a copy of its own enumerable fields and no tags, made without the encoder's path bookkeeping. Undefined for
 * anything else (nested values, `-0`, lone surrogates, `__proto__`…), which the encoder handles.
 */
function flatPlainForm(record: object): PlainForm | undefined {
  const plain: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    if (key === "__proto__" || !isWellFormed.call(key)) return undefined;
    const field = (record as Record<string, unknown>)[key];
    switch (typeof field) {
      case "string":
        if (!isWellFormed.call(field)) return undefined;
        break;
      case "number":
        if (field === 0 && 1 / field < 0) return undefined;
        break;
      case "boolean":
      case "bigint":
      case "undefined":
        break;
      case "object":
        if (field !== null) return undefined;
        break;
      default:
        return undefined;
    }
    plain[key] = field;
  }
  return { plain, tags: NO_TAGS };
}

class PlainEncoder {
  readonly tags: (string | number)[][] = [];
  /** The path of the value being encoded, as tags spell it. */
  private readonly path: (string | number)[] = [];
  /** The same path, as messages spell it. */
  private readonly labels: string[] = [];
  private readonly ancestors = new Set<object>();

  value(value: unknown): unknown {
    switch (typeof value) {
      case "string":
        if (isWellFormed.call(value)) return value;
        this.tag(TAG_ILL_FORMED_STRING);
        return JSON.stringify(value);
      case "number":
        if (value === 0 && 1 / value < 0) {
          this.tag(TAG_NEGATIVE_ZERO);
          return 0;
        }
        return value;
      case "boolean":
      case "bigint":
      case "undefined":
        return value;
      case "object":
        return value === null ? null : this.object(value);
      default:
        throw this.fail(`is a ${typeof value}`);
    }
  }

  root(output: object): Record<string, unknown> {
    return this.enter(output, () => this.record(output));
  }

  pathText(): string {
    return joinPath(
      "output",
      this.labels.filter((label) => label !== ""),
    );
  }

  private object(value: object): unknown {
    if (Array.isArray(value)) return this.enter(value, () => this.array(value));
    if (types.isDate(value))
      return value instanceof Date ? value : new Date(Date.prototype.getTime.call(value));
    if (ArrayBuffer.isView(value) || types.isArrayBuffer(value) || types.isRegExp(value)) return value;
    if (types.isMap(value)) return this.enter(value, () => this.map(value as Map<unknown, unknown>));
    if (types.isSet(value)) return this.enter(value, () => this.set(value as Set<unknown>));
    if (!isRecordLike(value)) throw this.fail(`is ${describeKind(value)}, which is not data`);
    return this.enter(value, () => this.record(value));
  }

  private record(value: object): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      this.push(key, propertyLabel(key));
      if (key === "__proto__") throw this.fail("is a property named __proto__, which msgpack cannot restore");
      if (!isWellFormed.call(key)) throw this.fail("is a property whose name holds a lone surrogate");
      out[key] = this.value((value as Record<string, unknown>)[key]);
      this.pop();
    }
    return out;
  }

  private array(value: readonly unknown[]): unknown[] {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      this.push(i, `[${i}]`);
      out[i] = this.value(value[i]);
      this.pop();
    }
    return out;
  }

  private map(value: Map<unknown, unknown>): unknown[] {
    this.tag(TAG_MAP);
    const out: unknown[] = [];
    let i = 0;
    for (const [key, entry] of value) {
      this.push(i, "");
      this.push(0, `<map key #${i}>`);
      const plainKey = this.value(key);
      this.pop();
      this.push(1, `<map value #${i}>`);
      out.push([plainKey, this.value(entry)]);
      this.pop();
      this.pop();
      i++;
    }
    return out;
  }

  private set(value: Set<unknown>): unknown[] {
    this.tag(TAG_SET);
    const out: unknown[] = [];
    let i = 0;
    for (const member of value) {
      this.push(i, `<set member #${i}>`);
      out.push(this.value(member));
      this.pop();
      i++;
    }
    return out;
  }

  private enter<T>(value: object, encode: () => T): T {
    if (this.ancestors.has(value)) throw this.fail("is a cycle back to one of its containers");
    // The output is level 0, its fields' values level 1: the limit every layer of moirae applies.
    if (this.ancestors.size > MAX_VALUE_DEPTH) throw this.fail(tooDeepReason(MAX_VALUE_DEPTH));
    this.ancestors.add(value);
    const result = encode();
    this.ancestors.delete(value);
    return result;
  }

  private tag(kind: number): void {
    this.tags.push([kind, ...this.path]);
  }

  private push(segment: string | number, label: string): void {
    this.path.push(segment);
    this.labels.push(label);
  }

  private pop(): void {
    this.path.pop();
    this.labels.pop();
  }

  private fail(reason: string): PlainFormProblem {
    return new PlainFormProblem(this.pathText(), reason);
  }
}

/** Restores the values `tags` mark in `plain` (in place). Throws a `TypeError` when a tag does not fit. */
export function applyTags(plain: Record<string, unknown>, tags: unknown): void {
  if (!Array.isArray(tags)) throw new TypeError("the tag list is not an array");
  for (let i = tags.length - 1; i >= 0; i--) {
    const tag: unknown = tags[i];
    if (!Array.isArray(tag) || tag.length < 2) throw new TypeError(`tag #${i} is not [kind, ...path]`);
    let parent: unknown = plain;
    for (let j = 1; j < tag.length - 1; j++) parent = childOf(parent, tag[j], i);
    const last = tag[tag.length - 1];
    const restored = restore(tag[0], childOf(parent, last, i), i);
    (parent as Record<string | number, unknown>)[last] = restored;
  }
}

function childOf(node: unknown, segment: unknown, tag: number): unknown {
  if (typeof segment === "number") {
    if (Array.isArray(node) && Number.isInteger(segment) && segment >= 0 && segment < node.length) {
      return node[segment];
    }
  } else if (typeof segment === "string" && isPlainObject(node) && Object.hasOwn(node, segment)) {
    return (node as Record<string, unknown>)[segment];
  }
  throw new TypeError(`the path of tag #${tag} does not lead to a value`);
}

function restore(kind: unknown, value: unknown, tag: number): unknown {
  switch (kind) {
    case TAG_MAP:
      if (Array.isArray(value) && value.every((e) => Array.isArray(e) && e.length === 2)) {
        return new Map(value as [unknown, unknown][]);
      }
      break;
    case TAG_SET:
      if (Array.isArray(value)) return new Set(value);
      break;
    case TAG_NEGATIVE_ZERO:
      if (value === 0) return -0;
      break;
    case TAG_ILL_FORMED_STRING:
      if (typeof value === "string") {
        const text: unknown = JSON.parse(value);
        if (typeof text === "string") return text;
      }
      break;
  }
  throw new TypeError(`tag #${tag} (kind ${String(kind)}) does not fit the value it marks`);
}

/** An object whose data is its own properties: a plain object or a class instance (not a built-in). */
function isRecordLike(value: object): boolean {
  return !Array.isArray(value) && objectToString.call(value) === "[object Object]";
}

function describeKind(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return `a ${typeof value}`;
  if (Array.isArray(value)) return "an array";
  const tag = objectToString.call(value).slice(8, -1);
  return /^[AEIOU]/.test(tag) ? `an ${tag}` : `a ${tag}`;
}

function propertyLabel(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
