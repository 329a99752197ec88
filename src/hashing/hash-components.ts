/** What a node class contributes to the hash of every node of that class. */
export interface Fingerprint {
  readonly name: string;
  readonly version: string | number | undefined;
  /** `field:Type` (`?` when optional), sorted. */
  readonly input: readonly string[];
  readonly output: readonly string[];
  readonly arguments: readonly string[];
  /** The source text of the node class (execute and every other method), and of its base classes. */
  readonly source: string;
}

/** A referenced input of a node, as it enters the hash: input field → upstream node, its output field and hash. */
export interface UpstreamComponent {
  readonly node: string;
  readonly field: string;
  readonly hash: string;
}

/** The parts a node's hash was computed from (see `explainHash`). */
export interface HashComponents {
  readonly formatVersion: number;
  readonly fingerprint: Fingerprint;
  /** Hash of the fingerprint parts. */
  readonly fingerprintHash: string;
  readonly arguments: Readonly<Record<string, unknown>>;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly upstream: Readonly<Record<string, UpstreamComponent>>;
}
