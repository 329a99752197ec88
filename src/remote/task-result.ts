import { PlainFormProblem } from "../cache/plain-form";
import { NodeTransferError } from "../errors/node-transfer-error";
import { checkOutput } from "../execution/invoke-node";
import type { NodeMetadata } from "../metadata/types";
import { attachViews, detachViews } from "./detached-views";
import { deserializeError, type SerializedError, serializeError } from "./remote-error";
import { fromWireData, pack, toWireData, unpack } from "./wire-data";

const RESULT_MAGIC = "moirae.result/1";

/** The bytes of a try's output, in the codec's lossless form. Throws `NodeTransferError` when it is not data. */
export function encodeOutput(node: string, output: object): Uint8Array {
  return pack(outputMessage(node, output));
}

/**
 * The message `encodeOutput` packs: an array of plain data. A transport may send it as JSON instead when
 * `jsonLength` says it survives JSON exactly; `decodeResult` reads either.
 */
export function outputMessage(node: string, output: object): readonly unknown[] {
  return [RESULT_MAGIC, true, wireOutput(node, output)];
}

/**
 * Like `encodeOutput`, but large typed arrays that own their buffers are left out of the bytes and returned in
 * `views`, for a transport that transfers them (worker threads). `decodeResult` needs them back, in order.
 */
export function encodeOutputDetached(
  node: string,
  output: object,
): { bytes: Uint8Array; views: ArrayBufferView[] } {
  const data = wireOutput(node, output);
  const { views, paths } = detachViews(data[0]);
  if (views.length === 0) return { bytes: pack([RESULT_MAGIC, true, data]), views };
  return { bytes: pack([RESULT_MAGIC, true, data, paths]), views };
}

function wireOutput(node: string, output: object) {
  const data = toWireData(output, "output");
  if (data instanceof PlainFormProblem) throw new NodeTransferError(node, "output", data.path, data.reason);
  return data;
}

/** The bytes of a failed try: the error in its serialised form (see `serializeError`). Never throws. */
export function encodeFailure(error: unknown): Uint8Array {
  return pack([RESULT_MAGIC, false, serializeError(error)]);
}

/**
 * What a remote try ended with (its bytes, or the message of `outputMessage` as it came back from JSON): a
 * validated instance of the node's output class, or throws the re-created error (the same moirae error class,
 * message, fields and cause chain as on the far side). Throws a `TypeError` for bytes that are not a moirae result.
 */
export function decodeResult(
  encoded: Uint8Array | readonly unknown[],
  name: string,
  meta: NodeMetadata,
  views: readonly ArrayBufferView[] = [],
): object {
  const message = encoded instanceof Uint8Array ? unpack(encoded) : encoded;
  if (!Array.isArray(message) || message[0] !== RESULT_MAGIC || message.length < 3) {
    throw new TypeError(`the bytes are not a ${RESULT_MAGIC} message`);
  }
  if (message[1] !== true) throw deserializeError(message[2] as SerializedError);
  const data = message[2] as [Record<string, unknown>, unknown];
  if (message.length > 3) attachViews(data[0], message[3], views);
  return checkOutput({ name, meta }, fromWireData(data));
}

/** The error of a failed try's result bytes, re-created; undefined when they hold an output (not decoded). */
export function failureOf(bytes: Uint8Array): unknown {
  const message = unpack(bytes);
  if (!Array.isArray(message) || message[0] !== RESULT_MAGIC || message[1] !== false) return undefined;
  return deserializeError(message[2] as SerializedError);
}
