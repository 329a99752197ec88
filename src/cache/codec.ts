import "reflect-metadata";
import { types } from "node:util";
import { injectable } from "tsyringe";
import { CacheDecodeError } from "../errors/cache-decode-error";
import { CacheEncodeError } from "../errors/cache-encode-error";
import type { ConcreteClass } from "../metadata/types";
import { describeValue, messageOf } from "../util/error-text";
import { isPlainObject } from "../util/is-plain-object";
import { checkData } from "../validation/validate-data";
import { FRAME_MAX_PAYLOAD_BYTES, frameEntry, hashProblem, OUTPUT_ENTRY, readEntry } from "./entry-frame";
import { packr } from "./msgpack";
import { applyTags, PlainFormProblem, toPlainForm } from "./plain-form";

/**
 * Turns node outputs into cache bytes and back. The bytes are one cache entry frame (magic, format version,
 * payload length and checksum, and the node's hash: see `entry-frame.ts`) around the output in msgpack. Decoding
 * checks all of it and validates the value against the current `@Output()` class, so bytes from another format
 * version, for another hash, or truncated or corrupt bytes are a `CacheDecodeError` — a cache miss — never a
 * misread object.
 *
 * What round-trips: numbers (-0, NaN, ±Infinity included), strings (lone surrogates included), booleans, null,
 * undefined, bigints, arrays, plain objects, nested data-class instances (rebuilt through `@Type`), Dates,
 * Buffers, Uint8Arrays and the other typed arrays, Maps and Sets (with any keys and members), RegExps. Shared
 * references are copied; functions, symbols and cycles are refused.
 *
 * It is its own dependency-injection token; a replacement extends it and is registered in its place:
 *
 * @example
 * ```ts
 * class CompressingCodec extends Codec {
 *   override encode(output: object, outputClass: ConcreteClass, hash: string): Uint8Array {
 *     return zlib.brotliCompressSync(super.encode(output, outputClass, hash));
 *   }
 *   override decode(bytes: Uint8Array, outputClass: ConcreteClass, hash: string): object {
 *     let raw: Uint8Array;
 *     try {
 *       raw = zlib.brotliDecompressSync(bytes);
 *     } catch (error) {
 *       throw new CacheDecodeError("the bytes are not brotli-compressed", outputClass.name, { cause: error });
 *     }
 *     return super.decode(raw, outputClass, hash);
 *   }
 * }
 * container.register(Codec, { useClass: CompressingCodec });
 * ```
 */
@injectable()
export class Codec {
  /**
   * The bytes to cache for `output` (an instance of `outputClass` or a plain object with its fields), for the
   * node whose hash is `hash` (the cache key). The output is not modified. Throws `CacheEncodeError` (and
   * nothing else) when it holds something that is not data.
   */
  encode(output: object, outputClass: ConcreteClass, hash: string): Uint8Array {
    const className = nameOf(outputClass);
    const problem = hashProblem(hash);
    if (problem !== undefined) throw new CacheEncodeError(problem, className);
    let payload: Uint8Array;
    try {
      const form = toPlainForm(output);
      if (form instanceof PlainFormProblem)
        throw new CacheEncodeError(form.reason, className, { path: form.path });
      payload = packr.pack([form.plain, form.tags]);
    } catch (error) {
      if (error instanceof CacheEncodeError) throw error;
      throw new CacheEncodeError(`could not be encoded: ${messageOf(error)}`, className, {
        path: "output",
        cause: error,
      });
    }
    if (payload.byteLength > FRAME_MAX_PAYLOAD_BYTES) {
      throw new CacheEncodeError(
        `the encoded output has ${payload.byteLength} bytes; an entry holds at most ${FRAME_MAX_PAYLOAD_BYTES}`,
        className,
      );
    }
    return frameEntry(hash, payload, OUTPUT_ENTRY);
  }

  /**
   * A new, validated instance of `outputClass` from bytes `encode` wrote for the same hash. Throws
   * `CacheDecodeError` (and nothing else) when the bytes are from another format version or hash, are
   * truncated or corrupt, or hold a value that does not validate against `outputClass` as it is now.
   */
  decode(bytes: Uint8Array, outputClass: ConcreteClass, hash: string): object {
    const className = nameOf(outputClass);
    try {
      return decodeEntry(bytes, outputClass, hash, className);
    } catch (error) {
      if (error instanceof CacheDecodeError) throw error;
      throw new CacheDecodeError(`decoding failed: ${messageOf(error)}`, className, { cause: error });
    }
  }
}

function decodeEntry(bytes: Uint8Array, outputClass: ConcreteClass, hash: string, className: string): object {
  if (typeof outputClass !== "function")
    throw new CacheDecodeError("the output class is not a class", className);
  if (!types.isUint8Array(bytes)) {
    throw new CacheDecodeError(
      hashProblem(hash) ?? `the cached value is ${describeValue(bytes)}, not a Uint8Array`,
      className,
    );
  }
  // An entry that reads is for this very hash, so the hash is a valid one: it is checked only when it does not.
  const entry = typeof hash === "string" ? readEntry(bytes, hash) : undefined;
  if (!entry?.ok) throw new CacheDecodeError(hashProblem(hash) ?? entry!.reason, className);
  if (entry.kind !== OUTPUT_ENTRY) {
    throw new CacheDecodeError(
      "the entry holds raw bytes a provider framed, not an encoded output",
      className,
    );
  }
  let unpacked: unknown;
  try {
    unpacked = packr.unpack(entry.payload);
  } catch (error) {
    throw new CacheDecodeError(`the payload is not valid msgpack: ${messageOf(error)}`, className, {
      cause: error,
    });
  }
  if (!Array.isArray(unpacked) || unpacked.length !== 2 || !isPlainObject(unpacked[0])) {
    throw new CacheDecodeError("the payload is not [fields, tags]", className);
  }
  const plain = unpacked[0];
  try {
    applyTags(plain, unpacked[1]);
  } catch (error) {
    throw new CacheDecodeError(`the payload's type tags are invalid: ${messageOf(error)}`, className, {
      cause: error,
    });
  }
  // Validated on every hit, though it was valid when written: the hash covers the output's field names and types,
  // not their constraints (a `@Max` added later makes the entries that break it misses), and the compiled check
  // costs under a tenth of the decode (~0.1 µs for a small output class).
  const checked = checkData(outputClass, plain);
  if (!checked.ok) {
    throw new CacheDecodeError(
      `the cached value does not satisfy ${className} as it is declared now`,
      className,
      {
        issues: checked.issues,
      },
    );
  }
  return checked.value;
}

function nameOf(outputClass: unknown): string {
  return (typeof outputClass === "function" && outputClass.name) || "output";
}
