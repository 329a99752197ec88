import { PlainFormProblem } from "../cache/plain-form";
import { NodeTransferError } from "../errors/node-transfer-error";
import { checkOutput } from "../execution/invoke-node";
import type { NodeMetadata } from "../metadata/types";
import { deserializeError, type SerializedError, serializeError } from "./remote-error";
import { fromWireData, pack, toWireData, unpack } from "./wire-data";

const RESULT_MAGIC = "moirae.result/1";

/** The bytes of a try's output, in the codec's lossless form. Throws `NodeTransferError` when it is not data. */
export function encodeOutput(node: string, output: object): Uint8Array {
  const data = toWireData(output, "output");
  if (data instanceof PlainFormProblem) throw new NodeTransferError(node, "output", data.path, data.reason);
  return pack([RESULT_MAGIC, true, data]);
}

/** The bytes of a failed try: the error in its serialised form (see `serializeError`). Never throws. */
export function encodeFailure(error: unknown): Uint8Array {
  return pack([RESULT_MAGIC, false, serializeError(error)]);
}

/**
 * What a remote try ended with: resolves to a validated instance of the node's output class, or throws the
 * re-created error (the same moirae error class, message, fields and cause chain as on the far side). Throws a
 * `TypeError` for bytes that are not a moirae result.
 */
export function decodeResult(bytes: Uint8Array, name: string, meta: NodeMetadata): object {
  const message = unpack(bytes);
  if (!Array.isArray(message) || message[0] !== RESULT_MAGIC || message.length !== 3) {
    throw new TypeError(`the bytes are not a ${RESULT_MAGIC} message`);
  }
  if (message[1] !== true) throw deserializeError(message[2] as SerializedError);
  return checkOutput({ name, meta }, fromWireData(message[2]));
}

/** The error of a failed try's result bytes, re-created; undefined when they hold an output (not decoded). */
export function failureOf(bytes: Uint8Array): unknown {
  const message = unpack(bytes);
  if (!Array.isArray(message) || message[0] !== RESULT_MAGIC || message[1] !== false) return undefined;
  return deserializeError(message[2] as SerializedError);
}
