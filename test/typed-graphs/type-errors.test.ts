// GraphSpecBuilder's types reject each wiring mistake at its line: test/typed-graphs/fixtures/ holds one file per
// mistake, each line that must fail marked `// @error TSnnnn "part of the message"`. One tsc run (the project's
// TypeScript) checks them all; the diagnostics must be exactly the marked ones — so builder types that accept
// everything, or reject what they should accept (fixtures/accepted.ts), fail this test.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { before, describe, it } from "node:test";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const FIXTURES = path.join(ROOT, "test", "typed-graphs", "fixtures");

interface Diagnostic {
  line: number;
  code: string;
  message: string;
}

/** Runs tsc over the fixtures; returns its diagnostics by fixture file name. */
function compileFixtures(): Promise<Map<string, Diagnostic[]>> {
  const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const args = [tsc, "-p", path.join(FIXTURES, "tsconfig.json"), "--pretty", "false"];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: ROOT, maxBuffer: 16 << 20 }, (error, stdout) => {
      if (error && typeof error.code !== "number") return reject(error);
      const byFile = new Map<string, Diagnostic[]>();
      let last: Diagnostic | undefined;
      for (const text of stdout.split("\n")) {
        const m = /^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/.exec(text);
        if (m) {
          last = { line: Number(m[2]), code: m[3]!, message: m[4]! };
          const file = path.basename(m[1]!);
          byFile.set(file, [...(byFile.get(file) ?? []), last]);
        } else if (last && /^\s+\S/.test(text)) {
          last.message += `\n${text.trim()}`;
        } else if (text.trim()) {
          reject(new Error(`unexpected tsc output: ${text}\n${stdout}`));
        }
      }
      resolve(byFile);
    });
  });
}

/** The `// @error TSnnnn "text"` marks of a fixture. */
function expectedErrors(file: string): { line: number; code: string; text?: string }[] {
  return readFileSync(path.join(FIXTURES, file), "utf8")
    .split("\n")
    .flatMap((line, i) => {
      const m = /\/\/ @error (TS\d+)(?: "(.*)")?\s*$/.exec(line);
      return m ? [{ line: i + 1, code: m[1]!, ...(m[2] ? { text: m[2] } : {}) }] : [];
    });
}

describe("GraphSpecBuilder types: tsc rejects each mistake at its line", () => {
  let diagnostics: Map<string, Diagnostic[]>;
  before(async () => {
    diagnostics = await compileFixtures();
  });

  const fixtures = readdirSync(FIXTURES)
    .filter((f) => f.endsWith(".ts"))
    .sort();

  it("has a fixture per mistake, and one that must compile", () => {
    assert.ok(fixtures.includes("accepted.ts"));
    assert.ok(fixtures.length >= 12, fixtures.join(", "));
    for (const file of fixtures.filter((f) => f !== "accepted.ts")) {
      assert.ok(expectedErrors(file).length > 0, `${file} marks no @error line`);
    }
  });

  for (const file of fixtures) {
    it(file, () => {
      const actual = diagnostics.get(file) ?? [];
      const expected = expectedErrors(file);
      assert.deepEqual(
        actual.map((d) => `${d.line} ${d.code}`),
        expected.map((e) => `${e.line} ${e.code}`),
        `${file}: tsc said\n${actual.map((d) => `  ${d.line}: ${d.code} ${d.message}`).join("\n") || "  nothing"}`,
      );
      for (const [i, e] of expected.entries()) {
        if (e.text)
          assert.ok(actual[i]!.message.includes(e.text), `${file}:${e.line}: ${actual[i]!.message}`);
      }
    });
  }

  it("reports nothing outside the fixtures", () => {
    const files = [...diagnostics.keys()].filter((f) => !fixtures.includes(f));
    assert.deepEqual(files, []);
  });
});
