/**
 * Base class of every error moirae throws. Catch `MoiraeError` to handle all of them;
 * each subclass carries structured fields (node, field, issues…) besides its message.
 */
export class MoiraeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}
