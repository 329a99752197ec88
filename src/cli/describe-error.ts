import { messageOf } from "../util/error-text";

/** An error as JSON: `{ name, message, node?, attempts?, cause? }` (causes nested the same way). */
export interface ErrorJson {
  readonly name: string;
  readonly message: string;
  readonly node?: string;
  readonly attempts?: number;
  readonly cause?: ErrorJson;
}

const MAX_CAUSES = 8;

/** An error (or any thrown value) and its cause chain as JSON. */
export function errorJson(error: unknown, depth = 0): ErrorJson {
  if (!(error instanceof Error)) return { name: typeof error, message: messageOf(error) };
  const { node, attempts } = error as { node?: unknown; attempts?: unknown };
  return {
    name: error.name,
    message: error.message,
    ...(typeof node === "string" ? { node } : {}),
    ...(typeof attempts === "number" ? { attempts } : {}),
    ...(error.cause !== undefined && depth < MAX_CAUSES ? { cause: errorJson(error.cause, depth + 1) } : {}),
  };
}

/** The causes of an error, outermost first, each as `Name: message` (the error itself not included). */
export function causeLines(error: unknown): string[] {
  const lines: string[] = [];
  let cause = error instanceof Error ? error.cause : undefined;
  for (let depth = 0; cause !== undefined && depth < MAX_CAUSES; depth++) {
    lines.push(cause instanceof Error ? `${cause.name}: ${cause.message}` : messageOf(cause));
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return lines;
}

/** An error with its stack and the stacks of its causes, for `--verbose`. */
export function verboseError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth <= MAX_CAUSES; depth++) {
    const text =
      current instanceof Error
        ? (current.stack ?? `${current.name}: ${current.message}`)
        : messageOf(current);
    parts.push(depth === 0 ? text : `caused by ${text}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join("\n");
}

/** An error's message on one line: its lines joined, a module-not-found error's require stack dropped. */
export function oneLine(error: unknown): string {
  if (!(error instanceof Error)) return messageOf(error).replace(/\s*\n\s*/g, " ");
  const message = error.message.split(/\nRequire stack:/)[0]!;
  const text = message.replace(/\s*\n\s*/g, " ").trim();
  return error.name && error.name !== "Error" && !text.startsWith(error.name)
    ? `${error.name}: ${text}`
    : text;
}
