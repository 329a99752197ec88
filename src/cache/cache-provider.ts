import "reflect-metadata";
import { injectable } from "tsyringe";

/**
 * Where moirae keeps node outputs between runs, as opaque bytes under the node's topological hash
 * (64 lowercase hex characters). It is also its own dependency-injection token: `container.resolve(CacheProvider)`
 * works in a fresh container and gives this base implementation, which caches nothing.
 *
 * A method may throw (it should throw `CacheReadError` / `CacheWriteError` rather than return doubtful bytes) or
 * take too long; the executor then treats the lookup as a miss, emits a `cache:error` event and goes on.
 * Built in: `MemoryCacheProvider`, `FileCacheProvider`, `RedisCacheProvider`. A custom provider extends this class:
 *
 * @example
 * ```ts
 * class S3Cache extends CacheProvider {
 *   constructor(private readonly s3: S3Client) {
 *     super();
 *   }
 *   override async get(key: string): Promise<Uint8Array | undefined> {
 *     try {
 *       const out = await this.s3.send(new GetObjectCommand({ Bucket: "cache", Key: key }));
 *       return await out.Body!.transformToByteArray();
 *     } catch (error) {
 *       if ((error as Error).name === "NoSuchKey") return undefined;
 *       throw error;
 *     }
 *   }
 *   override async set(key: string, value: Uint8Array): Promise<void> {
 *     await this.s3.send(new PutObjectCommand({ Bucket: "cache", Key: key, Body: value }));
 *   }
 *   // has, delete, clear, close: override the ones your store supports
 * }
 *
 * container.register(S3Client, { useValue: new S3Client({}) });
 * container.register(CacheProvider, { useClass: S3Cache }); // or { useValue: new S3Cache(client) }
 * ```
 */
@injectable()
export class CacheProvider {
  /** The bytes stored under `key`, or `undefined` on a miss. */
  async get(_key: string): Promise<Uint8Array | undefined> {
    return undefined;
  }

  /** Stores `value` under `key`, replacing what was there. */
  async set(_key: string, _value: Uint8Array): Promise<void> {}

  /** Whether an entry exists under `key`. */
  async has(_key: string): Promise<boolean> {
    return false;
  }

  /** Removes the entry under `key`; `true` when there was one. */
  async delete(_key: string): Promise<boolean> {
    return false;
  }

  /** Removes every entry this provider owns (and nothing else). */
  async clear(): Promise<void> {}

  /** Releases connections and handles the provider opened itself; call it once, when done. */
  async close(): Promise<void> {}
}
