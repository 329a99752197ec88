/** Where JSON text goes wrong: an offset into the text and what is wrong there. */
export interface JsonProblem {
  readonly offset: number;
  readonly reason: string;
  /** For a duplicate key: the offset of its first occurrence. */
  readonly firstAt?: number;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/**
 * The first syntax error or duplicate object key of JSON `text`, or undefined when it is valid JSON in which no
 * object gives a key twice (`JSON.parse` keeps the last silently, and V8 does not always say where it stopped).
 * Iterative: any nesting depth.
 */
export function findJsonProblem(text: string): JsonProblem | undefined {
  const n = text.length;
  let i = 0;
  /** Open containers: an object's keys (→ offsets), or undefined for an array. */
  const stack: (Map<string, number> | undefined)[] = [];
  const problem = (reason: string, offset = i): JsonProblem => ({ offset, reason });
  const found = () => (i >= n ? "the end of the text" : JSON.stringify(text[i]));
  const skipSpace = () => {
    for (let c = text.charCodeAt(i); c === 32 || c === 9 || c === 10 || c === 13; c = text.charCodeAt(++i));
  };
  const string = (): JsonProblem | undefined => {
    const start = i++;
    for (;;) {
      const c = text.charCodeAt(i);
      if (i >= n) return problem("unterminated string", start);
      if (c === 34) {
        i++;
        return undefined;
      }
      if (c === 92) {
        ESCAPE.lastIndex = i;
        if (!ESCAPE.test(text)) return problem("invalid escape sequence in a string");
        i = ESCAPE.lastIndex;
      } else if (c < 0x20) {
        return problem("control character in a string (write it escaped, e.g. \\n)");
      } else i++;
    }
  };
  const key = (): JsonProblem | undefined => {
    skipSpace();
    if (text[i] !== '"') return problem(`expected a double-quoted property name, found ${found()}`);
    const start = i;
    const bad = string();
    if (bad) return bad;
    const raw = text.slice(start, i);
    const name: string = raw.includes("\\") ? JSON.parse(raw) : raw.slice(1, -1);
    const keys = stack[stack.length - 1]!;
    const first = keys.get(name);
    if (first !== undefined) {
      return { offset: start, firstAt: first, reason: `duplicate key ${JSON.stringify(name)}` };
    }
    keys.set(name, start);
    skipSpace();
    if (text[i] !== ":") return problem(`expected ':' after the property name, found ${found()}`);
    i++;
    return undefined;
  };
  for (;;) {
    skipSpace();
    const c = text[i];
    if (c === "{" || c === "[") {
      i++;
      skipSpace();
      if (text[i] === (c === "{" ? "}" : "]")) i++;
      else {
        stack.push(c === "{" ? new Map() : undefined);
        const bad = c === "{" ? key() : undefined;
        if (bad) return bad;
        continue;
      }
    } else if (c === '"') {
      const bad = string();
      if (bad) return bad;
    } else if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) {
      NUMBER.lastIndex = i;
      if (!NUMBER.test(text)) return problem("invalid number");
      i = NUMBER.lastIndex;
    } else if (text.startsWith("true", i)) i += 4;
    else if (text.startsWith("false", i)) i += 5;
    else if (text.startsWith("null", i)) i += 4;
    else return problem(`expected a value, found ${found()}`);
    // After a value: close what ends here, then a separator.
    for (;;) {
      skipSpace();
      if (stack.length === 0)
        return i < n ? problem(`unexpected ${found()} after the JSON value`) : undefined;
      const close = stack[stack.length - 1] === undefined ? "]" : "}";
      if (text[i] === close) {
        i++;
        stack.pop();
        continue;
      }
      if (text[i] !== ",") return problem(`expected ',' or '${close}', found ${found()}`);
      i++;
      if (close === "}") {
        const bad = key();
        if (bad) return bad;
      }
      break;
    }
  }
}
