import { PlainFormProblem } from "../cache/plain-form";
import { messageOf } from "../util/error-text";
import { MOIRAE_ERROR_CLASSES } from "./error-classes";
import { fromWireData, toWireData, type WireData } from "./wire-data";

/**
 * An error (or any thrown value) in a form that crosses threads and processes: name, message, stack, the cause
 * chain and the error's own fields (a moirae error's `node`, `issues`, `timeoutMs`…) as lossless data.
 */
export interface SerializedError {
  /** `"error"` for an `Error`; `"value"` for another thrown value (kept in `fields.value`). */
  readonly kind: "error" | "value";
  /** The constructor's name: how the error is re-created (a moirae error class or a built-in `Error` class). */
  readonly className: string;
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  /** Own enumerable fields that are data. */
  readonly fields: WireData;
  /** Own fields holding errors (e.g. `ExecutionAbortedError.reason`). */
  readonly errorFields: Readonly<Record<string, SerializedError>>;
  /** `cause`, when it is set. */
  readonly cause?: SerializedError;
}

const MAX_DEPTH = 16;
const SKIPPED = new Set(["name", "message", "stack", "cause"]);

/** The serialisable form of a thrown value. Never throws. */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) {
    const fields = dataFields({ value: error });
    return { kind: "value", className: "", name: "", message: messageOf(error), fields, errorFields: {} };
  }
  const record: Record<string, unknown> = {};
  const errorFields: Record<string, SerializedError> = {};
  for (const key of Object.keys(error)) {
    if (SKIPPED.has(key)) continue;
    const value = (error as unknown as Record<string, unknown>)[key];
    if (value instanceof Error) {
      if (depth < MAX_DEPTH) errorFields[key] = serializeError(value, depth + 1);
    } else record[key] = value;
  }
  const hasCause = Object.hasOwn(error, "cause") && error.cause !== undefined;
  return {
    kind: "error",
    className: error.constructor?.name || "Error",
    name: String(error.name),
    message: String(error.message),
    ...(typeof error.stack === "string" ? { stack: error.stack } : {}),
    fields: dataFields(record),
    errorFields,
    ...(hasCause && depth < MAX_DEPTH ? { cause: serializeError(error.cause, depth + 1) } : {}),
  };
}

/** The fields of `record` that are data (each one checked alone, so one odd field does not lose the others). */
function dataFields(record: Record<string, unknown>): WireData {
  const whole = toWireData(record, "error");
  if (!(whole instanceof PlainFormProblem)) return whole;
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (!(toWireData({ [key]: value }, "error") instanceof PlainFormProblem)) kept[key] = value;
    else if (key === "value") kept[key] = String(value);
  }
  const form = toWireData(kept, "error");
  return form instanceof PlainFormProblem ? [{}, []] : form;
}

/**
 * The error `serializeError` described, re-created: an instance of the same moirae error class (or built-in error
 * class) with the same message, stack, fields and cause chain, so `instanceof` and the fields work on this side.
 * Other classes become an `Error` with the original `name`. A thrown non-error value comes back as that value.
 */
export function deserializeError(form: SerializedError, depth = 0): unknown {
  const fields = safeFields(form.fields);
  if (form.kind === "value") return "value" in fields ? fields.value : form.message;
  const error: Error = Object.create(prototypeFor(form.className));
  Object.defineProperty(error, "message", { value: form.message, writable: true, configurable: true });
  if (form.stack !== undefined) {
    Object.defineProperty(error, "stack", { value: form.stack, writable: true, configurable: true });
  }
  Object.assign(error, fields);
  for (const [key, value] of Object.entries(form.errorFields ?? {})) {
    (error as unknown as Record<string, unknown>)[key] =
      depth < MAX_DEPTH ? deserializeError(value, depth + 1) : undefined;
  }
  if (error.name !== form.name) (error as { name: string }).name = form.name;
  if (form.cause !== undefined && depth < MAX_DEPTH) {
    Object.defineProperty(error, "cause", {
      value: deserializeError(form.cause, depth + 1),
      writable: true,
      configurable: true,
    });
  }
  return error;
}

function safeFields(fields: WireData | undefined): Record<string, unknown> {
  try {
    return fields ? fromWireData(fields) : {};
  } catch {
    return {};
  }
}

const BUILT_IN: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

function prototypeFor(className: string): object {
  const cls = MOIRAE_ERROR_CLASSES.get(className) ?? BUILT_IN[className] ?? Error;
  return cls.prototype;
}
