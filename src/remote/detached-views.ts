import { isPlainObject } from "../util/is-plain-object";

/** Typed arrays at least this large travel beside the encoded bytes, transferred rather than copied. */
export const DETACH_MIN_BYTES = 64 * 1024;

type Path = readonly (string | number)[];

/**
 * Takes the large typed arrays out of a plain form (in place: each is replaced by `null`) and returns them with
 * their paths. Only arrays that own their whole, non-shared `ArrayBuffer` are taken (never a `Buffer`, which may
 * view a pool), so transferring their buffers detaches nothing else.
 */
export function detachViews(plain: Record<string, unknown>): { views: ArrayBufferView[]; paths: Path[] } {
  const views: ArrayBufferView[] = [];
  const paths: Path[] = [];
  const path: (string | number)[] = [];
  const visit = (parent: Record<string | number, unknown>, key: string | number) => {
    const value = parent[key];
    if (value === null || typeof value !== "object") return;
    path.push(key);
    if (ArrayBuffer.isView(value)) {
      if (isTransferable(value)) {
        views.push(value);
        paths.push([...path]);
        parent[key] = null;
      }
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) visit(value as unknown as Record<number, unknown>, i);
    } else if (isPlainObject(value)) {
      for (const k of Object.keys(value)) visit(value, k);
    }
    path.pop();
  };
  for (const key of Object.keys(plain)) visit(plain, key);
  return { views, paths };
}

function isTransferable(view: ArrayBufferView): boolean {
  return (
    view.byteLength >= DETACH_MIN_BYTES &&
    !Buffer.isBuffer(view) &&
    view.buffer instanceof ArrayBuffer &&
    view.byteOffset === 0 &&
    view.byteLength === view.buffer.byteLength
  );
}

/** Puts detached typed arrays back at their paths (before the plain form's tags are applied). */
export function attachViews(
  plain: Record<string, unknown>,
  paths: unknown,
  views: readonly ArrayBufferView[],
): void {
  if (!Array.isArray(paths) || paths.length !== views.length) {
    throw new TypeError("the detached typed arrays do not match their paths");
  }
  paths.forEach((path: unknown, i) => {
    if (!Array.isArray(path) || path.length === 0) throw new TypeError(`detached path #${i} is empty`);
    let node: unknown = plain;
    for (let j = 0; j < path.length - 1; j++) node = (node as Record<string | number, unknown>)?.[path[j]];
    if (node === null || typeof node !== "object") throw new TypeError(`detached path #${i} leads nowhere`);
    (node as Record<string | number, unknown>)[path[path.length - 1]] = views[i];
  });
}
