/** Marks the phantom type of an `OutputReference` (never present at run time). */
declare const VALUE: unique symbol;

/**
 * A typed reference to one output field of a node of a `GraphSpecBuilder`: what `builder.node(...)` returns one of
 * per output field. Given as an input, it becomes `"${node.field}"` in the spec. `T` is the field's type; a
 * reference feeds only an input field whose type accepts `T`.
 */
export class OutputReference<T = unknown> {
  declare readonly [VALUE]: T;

  /** @internal Made by `GraphSpecBuilder.node`. */
  constructor(
    /** The node's name in the graph. */
    readonly node: string,
    /** The output field. */
    readonly field: string,
    /** The builder whose `node()` made it (a reference is valid only there). */
    readonly owner: object,
  ) {}

  /** `${node.field}`: the reference as a spec writes it. */
  toString(): string {
    return `\${${this.node}.${this.field}}`;
  }
}
