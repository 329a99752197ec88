/** The message of a thrown value, whatever was thrown (an Error, a string, `Object.create(null)`…). */
export function messageOf(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return "(a value that cannot be printed)";
  }
}
