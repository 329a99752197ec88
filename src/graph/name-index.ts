/**
 * Node names → ids (their positions in `names`), for the hundreds of thousands of lookups of one build: an
 * open-addressing table of ids in one `Int32Array`, keyed by a hash of the name computed here. A reference's
 * node name is looked up where it stands in the reference text, without being copied out first; and the table is
 * built in one allocation, where a `Map` of 100,000 names grows and rehashes its way there.
 */
export class NameIndex {
  /** Id + 1 per slot, 0 when empty. */
  private readonly slots: Int32Array;
  private readonly mask: number;

  /** @param names distinct names. */
  constructor(readonly names: readonly string[]) {
    let capacity = 16;
    while (capacity < names.length * 2) capacity *= 2;
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
    for (let id = 0; id < names.length; id++) {
      const name = names[id]!;
      let slot = hashOf(name, 0, name.length) & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = id + 1;
    }
  }

  get size(): number {
    return this.names.length;
  }

  /** The id of node `name`, or -1. */
  idOf(name: string): number {
    return typeof name === "string" ? this.idOfSlice(name, 0, name.length) : -1;
  }

  /** The id of the node named `text[start, end)`, or -1. */
  idOfSlice(text: string, start: number, end: number): number {
    const { slots, mask, names } = this;
    const length = end - start;
    let slot = hashOf(text, start, end) & mask;
    for (;;) {
      const id = slots[slot]! - 1;
      if (id < 0) return -1;
      const name = names[id]!;
      if (name.length === length && text.startsWith(name, start)) return id;
      slot = (slot + 1) & mask;
    }
  }
}

/** FNV-1a over the UTF-16 code units of `text[start, end)`. */
function hashOf(text: string, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash;
}
