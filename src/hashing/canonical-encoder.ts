import { types } from "node:util";
import { MAX_VALUE_DEPTH } from "../constants";
import { UnhashableValueError } from "../errors/unhashable-value-error";
import { ValueTooDeepError } from "../errors/value-too-deep-error";
import { messageOf } from "../util/error-text";
import { joinPath, opaqueReason, pathSegment } from "../util/value-kinds";
import {
  bytesBase64,
  encodeString,
  numberText,
  type Primitive,
  primitiveText,
  sortKeys,
} from "./canonical-text";

/** Container kinds an encoding frame can hold. */
const ARRAY = 0;
const OBJECT = 1;
const MAP = 2;
const SET = 3;

/** Depth from which ancestors are tracked in a Set instead of scanning the frame stack. */
const ANCESTOR_SET_DEPTH = 32;

const objectToString = Object.prototype.toString;

/** Built-in objects whose contents cannot be enumerated or are not data, by their `Object.prototype.toString` tag. */
const UNHASHABLE_TAGS: ReadonlyMap<string, string> = new Map([
  ["Promise", "Promises have no canonical encoding"],
  ["WeakMap", "WeakMaps cannot be enumerated, so they have no canonical encoding"],
  ["WeakSet", "WeakSets cannot be enumerated, so they have no canonical encoding"],
  ["WeakRef", "WeakRefs have no canonical encoding"],
  ["FinalizationRegistry", "FinalizationRegistries have no canonical encoding"],
  ["Generator", "generators have no canonical encoding"],
  ["AsyncGenerator", "async generators have no canonical encoding"],
  ["Map Iterator", "iterators have no canonical encoding"],
  ["Set Iterator", "iterators have no canonical encoding"],
  ["Array Iterator", "iterators have no canonical encoding"],
  ["String Iterator", "iterators have no canonical encoding"],
  ["RegExp String Iterator", "iterators have no canonical encoding"],
]);

/** A container being encoded: its members are visited one per step of the loop in `Encoder.run`. */
interface Frame {
  kind: number;
  value: object;
  /** Array elements, sorted object keys, flattened Map entries (key, value, key, …) or Set elements. */
  items: readonly unknown[];
  index: number;
  /** Map / Set only: where each member's encoding starts in `out`. */
  starts: number[] | undefined;
  /** Where the members start in `out`, after the opening tag. */
  open: number;
}

/** One run of `canonicalEncode`: appends to `out`, walking containers with an explicit stack (no recursion). */
export class Encoder {
  private out = "";
  private readonly stack: Frame[] = [];
  private ancestors: Set<object> | undefined;

  constructor(
    private readonly basePath: string,
    private readonly maxDepth: number,
  ) {}

  run(root: unknown): string {
    this.emit(root);
    const stack = this.stack;
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      const items = frame.items;
      if (frame.kind === OBJECT) {
        const object = frame.value as Record<string, unknown>;
        let pushed = false;
        while (frame.index < items.length) {
          const key = items[frame.index++] as string;
          let child: unknown;
          try {
            child = object[key];
          } catch (error) {
            throw this.fail(`reading it threw: ${messageOf(error)}`);
          }
          if (child === undefined) continue;
          this.out += encodeString(key);
          if (this.emit(child)) {
            pushed = true;
            break;
          }
        }
        if (!pushed) {
          this.out += "}";
          this.pop();
        }
      } else if (frame.index < items.length) {
        if (frame.starts !== undefined && (frame.kind === SET || frame.index % 2 === 0)) {
          frame.starts.push(this.out.length);
        }
        this.emit(items[frame.index++]);
      } else if (frame.kind === ARRAY) {
        this.out += "]";
        this.pop();
      } else {
        this.closeUnordered(frame);
        this.pop();
      }
    }
    return this.out;
  }

  /** Appends a primitive's encoding or opens a container; returns true when a frame was pushed. */
  private emit(value: unknown): boolean {
    if (typeof value === "object" && value !== null) return this.emitObject(value);
    if (typeof value === "function") throw this.fail("functions have no canonical encoding");
    if (typeof value === "symbol") throw this.fail("symbols have no canonical encoding");
    this.out += primitiveText(value as Primitive);
    return false;
  }

  private emitObject(value: object): boolean {
    try {
      return this.emitContainer(value);
    } catch (error) {
      if (error instanceof UnhashableValueError) throw error;
      throw this.fail(`reading it threw: ${messageOf(error)}`);
    }
  }

  private emitContainer(value: object): boolean {
    if (Array.isArray(value)) {
      if (value.length === 0) {
        this.checkDepth();
        this.out += "[]";
        return false;
      }
      this.out += "[";
      return this.push(ARRAY, value, value);
    }
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null || isForeignObjectPrototype(proto)) {
      return this.emitFields(value);
    }
    if (types.isDate(value)) {
      this.out += `D${numberText((value as Date).getTime())};`;
      return false;
    }
    if (types.isMap(value)) {
      const items: unknown[] = [];
      for (const [k, v] of value as Map<unknown, unknown>) items.push(k, v);
      this.out += "M(";
      return this.push(MAP, value, items);
    }
    if (types.isSet(value)) {
      this.out += "S(";
      return this.push(SET, value, Array.from(value as Set<unknown>));
    }
    if (types.isTypedArray(value) || types.isDataView(value)) {
      const view = value as ArrayBufferView & { BYTES_PER_ELEMENT?: number };
      const type = types.isTypedArray(value) ? typedArrayName(view) : "DataView";
      this.out += `b${encodeString(type)}${encodeString(bytesBase64(view, view.BYTES_PER_ELEMENT ?? 1))}`;
      return false;
    }
    if (types.isAnyArrayBuffer(value)) {
      const type = types.isSharedArrayBuffer(value) ? "SharedArrayBuffer" : "ArrayBuffer";
      this.out += `b${encodeString(type)}${encodeString(bytesBase64(value as ArrayBufferLike, 1))}`;
      return false;
    }
    if (types.isRegExp(value)) {
      const regexp = value as RegExp;
      this.out += `r${encodeString(regexp.source)}${encodeString(regexp.flags)}`;
      return false;
    }
    if (types.isBoxedPrimitive(value)) {
      if (types.isSymbolObject(value)) throw this.fail("symbols have no canonical encoding");
      this.out += "o";
      return this.emit((value as { valueOf(): unknown }).valueOf());
    }
    if (types.isNativeError(value) || value instanceof Error) {
      throw this.fail("errors have no canonical encoding");
    }
    const unhashable = UNHASHABLE_TAGS.get(objectToString.call(value).slice(8, -1)) ?? opaqueReason(value);
    if (unhashable !== undefined) throw this.fail(unhashable);
    const ctor = (proto as { constructor?: unknown }).constructor;
    const name = typeof ctor === "function" ? ctor.name : "";
    this.out += `c${encodeString(name)}`;
    return this.emitFields(value);
  }

  /** Opens `{…}` over the own enumerable string-keyed fields, key-sorted; symbol keys are ignored. */
  private emitFields(value: object): boolean {
    const keys = Object.keys(value);
    if (keys.length === 0) {
      this.checkDepth();
      this.out += "{}";
      return false;
    }
    this.out += "{";
    return this.push(OBJECT, value, sortKeys(keys));
  }

  private push(kind: number, value: object, items: readonly unknown[]): boolean {
    const stack = this.stack;
    if (this.ancestors !== undefined ? this.ancestors.has(value) : this.depthOf(value) >= 0) {
      throw this.fail(`it is a cycle back to ${this.pathOf(this.depthOf(value))}`);
    }
    this.checkDepth();
    const unordered = kind === MAP || kind === SET;
    stack.push({ kind, value, items, index: 0, starts: unordered ? [] : undefined, open: this.out.length });
    if (this.ancestors !== undefined) this.ancestors.add(value);
    else if (stack.length >= ANCESTOR_SET_DEPTH) this.ancestors = new Set(stack.map((f) => f.value));
    return true;
  }

  /** Refuses a container opened deeper than the limit (empty ones included, as every layer counts them). */
  private checkDepth(): void {
    if (this.stack.length > this.maxDepth) {
      throw new ValueTooDeepError(this.pathOf(this.stack.length), MAX_VALUE_DEPTH);
    }
  }

  /** Index of the frame encoding `value`, or -1 when `value` is not an ancestor of the current member. */
  private depthOf(value: object): number {
    const stack = this.stack;
    for (let i = 0; i < stack.length; i++) if (stack[i].value === value) return i;
    return -1;
  }

  private pop(): void {
    const frame = this.stack.pop()!;
    this.ancestors?.delete(frame.value);
  }

  /** Replaces a Map's / Set's members, appended in iteration order, by the same members sorted, then closes it. */
  private closeUnordered(frame: Frame): void {
    const starts = frame.starts!;
    const out = this.out;
    const members: string[] = [];
    for (let i = 0; i < starts.length; i++) {
      members.push(out.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : out.length));
    }
    members.sort();
    this.out = `${out.slice(0, frame.open)}${members.join("")})`;
  }

  /** Path of the member being visited in stack frame `depth - 1` (the base path for depth 0), its middle elided when long. */
  private pathOf(depth: number): string {
    const segments: string[] = [];
    for (let i = 0; i < depth; i++) {
      const frame = this.stack[i];
      const at = frame.index - 1;
      if (frame.kind === ARRAY) segments.push(`[${at}]`);
      else if (frame.kind === OBJECT) segments.push(pathSegment(frame.items[at] as string));
      else if (frame.kind === MAP) segments.push(at % 2 === 0 ? "<map key>" : "<map value>");
      else segments.push("<set element>");
    }
    return joinPath(this.basePath, segments);
  }

  private fail(reason: string): UnhashableValueError {
    return new UnhashableValueError(this.pathOf(this.stack.length), reason);
  }
}

/** True for `Object.prototype` of another realm (a `vm` context), whose objects are plain too. */
function isForeignObjectPrototype(proto: object): boolean {
  return (
    Object.getPrototypeOf(proto) === null &&
    (proto as { constructor?: { name?: unknown } }).constructor?.name === "Object"
  );
}

/** The built-in element type of a typed array (`Uint8Array` for a Buffer), whatever its subclass. */
function typedArrayName(view: ArrayBufferView): string {
  return objectToString.call(view).slice(8, -1);
}
