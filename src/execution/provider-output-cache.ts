import type { CacheProvider } from "../cache/cache-provider";
import type { Codec } from "../cache/codec";
import { withTimeout } from "../cache/with-timeout";
import { toError } from "../util/error-text";
import type { CacheEventSink, CacheSubject, OutputCache } from "./output-cache";

/**
 * The cache step backed by a `CacheProvider` and a `Codec`. A hit is decoded and validated against the node's
 * output class; anything that goes wrong — a provider that throws or does not answer within `timeoutMs`, bytes
 * that do not decode or validate — is reported as `cache:error` and treated as a miss. Nothing here fails a run.
 * Entries carry the node's hash (which covers the class fingerprint) in their header, so bytes a provider
 * returns for the wrong key are a miss, never another node's output.
 */
export class ProviderOutputCache implements OutputCache {
  readonly enabled = true;

  constructor(
    private readonly provider: CacheProvider,
    private readonly codec: Codec,
    private readonly timeoutMs: number,
  ) {}

  async lookup(
    subject: CacheSubject,
    report: CacheEventSink,
    signal?: AbortSignal,
  ): Promise<object | undefined> {
    let bytes: Uint8Array | undefined;
    try {
      bytes = await withTimeout(
        () => this.provider.get(subject.hash),
        this.timeoutMs,
        this.describe("get"),
        signal,
      );
    } catch (error) {
      if (!signal?.aborted) report("cache:error", toError(error));
      return undefined;
    }
    if (bytes === undefined || bytes === null) {
      report("cache:miss");
      return undefined;
    }
    try {
      const output = this.codec.decode(bytes, subject.meta.output, subject.hash);
      report("cache:hit");
      return output;
    } catch (error) {
      report("cache:error", toError(error));
      return undefined;
    }
  }

  async store(
    subject: CacheSubject,
    output: object,
    report: CacheEventSink,
    signal?: AbortSignal,
  ): Promise<void> {
    try {
      const bytes = this.codec.encode(output, subject.meta.output, subject.hash);
      await withTimeout(
        () => this.provider.set(subject.hash, bytes),
        this.timeoutMs,
        this.describe("set"),
        signal,
      );
    } catch (error) {
      if (!signal?.aborted) report("cache:error", toError(error));
    }
  }

  private describe(operation: string): string {
    return `${this.provider.constructor.name}.${operation}`;
  }
}
