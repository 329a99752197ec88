import { METADATA_STORE_KEY } from "../constants";
import type { Class, NodeMetadata } from "./types";

/** Which decorator marked a data class. */
export type DataKind = "input" | "output";

/**
 * The one place decorators write to. It lives on `globalThis`, so two copies of moirae in one process share it,
 * and it is never reached through a DI container.
 */
export class MetadataStore {
  private readonly dataClasses = new Map<Function, Set<DataKind>>();
  private readonly nodesByName = new Map<string, NodeMetadata>();
  private readonly nodesByClass = new Map<Function, NodeMetadata>();

  /** Records that `target` is an `@Input()` or `@Output()` class. */
  addDataClass(target: Function, kind: DataKind): void {
    const kinds = this.dataClasses.get(target) ?? new Set<DataKind>();
    kinds.add(kind);
    this.dataClasses.set(target, kinds);
  }

  /** Whether `target` was marked with the decorator of `kind`. */
  isDataClass(target: unknown, kind: DataKind): boolean {
    return typeof target === "function" && this.dataClasses.get(target)?.has(kind) === true;
  }

  /** Registers a node; the caller has checked that the name is free. */
  addNode(meta: NodeMetadata): void {
    this.nodesByName.set(meta.name, meta);
    this.nodesByClass.set(meta.target, meta);
  }

  nodeByName(name: string): NodeMetadata | undefined {
    return this.nodesByName.get(name);
  }

  nodeByClass(target: unknown): NodeMetadata | undefined {
    return typeof target === "function" ? this.nodesByClass.get(target) : undefined;
  }

  /** The registered node names (a live iterator over the registry). */
  nodeNames(): IterableIterator<string> {
    return this.nodesByName.keys();
  }

  get nodeCount(): number {
    return this.nodesByName.size;
  }

  /** Forgets every node (data class marks stay, as they belong to classes that still exist). */
  clearNodes(): void {
    this.nodesByName.clear();
    this.nodesByClass.clear();
  }
}

/** The process-wide store. */
export function getMetadataStore(): MetadataStore {
  const holder = globalThis as unknown as Record<symbol, MetadataStore | undefined>;
  let store = holder[METADATA_STORE_KEY];
  if (!store) {
    store = new MetadataStore();
    Object.defineProperty(holder, METADATA_STORE_KEY, { value: store, enumerable: false });
  }
  return store;
}

/** The name of a class for messages (`(anonymous class)` when it has none). */
export function classNameOf(target: Class | Function | undefined): string {
  return target?.name || "(anonymous class)";
}
