/** Longest user text a message quotes whole; longer text is cut to this many characters. */
const MAX_QUOTED = 80;

/**
 * A user-given string quoted for a message, at most ~80 characters: `"abc"`, or for a longer one its start, an
 * ellipsis and its length (`"aaaa…" (10485760 characters)`), so a 10 MB literal never makes a 10 MB message.
 */
export function quoted(text: string, max = MAX_QUOTED): string {
  if (text.length <= max) return JSON.stringify(text);
  return `${JSON.stringify(`${text.slice(0, max)}…`)} (${text.length} characters)`;
}

/** `text` itself when short, else its start, an ellipsis and its length (unquoted, for text already delimited). */
export function excerpt(text: string, max = MAX_QUOTED): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}
