// The markdown report: each suite writes its section (text, tables, goal lines); index.ts prints them in order.
import * as os from "node:os";

/** A goal of an issue's performance section, checked against a measured figure. */
export interface Goal {
  readonly section: string;
  readonly goal: string;
  readonly met: boolean;
  readonly figure: string;
}

/** One `##` section of the report, filled by a suite while it runs and printed afterwards. */
export class Section {
  /** Markdown blocks, printed with a blank line between them. */
  readonly blocks: string[] = [];
  readonly goals: Goal[] = [];
  private goalList = false;

  /** `label`: the section's short name in the summary table. */
  constructor(
    readonly title: string,
    readonly label: string = title,
  ) {}

  /** Paragraphs (or any markdown blocks), one per argument. */
  text(...blocks: string[]): void {
    this.blocks.push(...blocks);
    this.goalList = false;
  }

  /** A `###` heading. */
  heading(title: string): void {
    this.text(`### ${title}`);
  }

  /** A markdown table; columns after the first are right-aligned (they hold figures). */
  table(head: readonly string[], rows: readonly (readonly string[])[]): void {
    this.text(markdownTable(head, rows));
  }

  /** A line saying whether `goal` is met, with the figure that decides it; also listed in the summary. */
  goal(goal: string, met: boolean, figure: string): void {
    this.goals.push({ section: this.label, goal, met, figure });
    const line = `- ${met ? "**met**" : "**NOT met**"} — ${goal}: ${figure}`;
    // consecutive goal lines form one list
    if (this.goalList) this.blocks[this.blocks.length - 1] += `\n${line}`;
    else this.blocks.push(line);
    this.goalList = true;
  }

  toString(): string {
    return [`## ${this.title}`, ...this.blocks].join("\n\n");
  }
}

/** A markdown table with aligned pipes; columns after the first are right-aligned. */
export function markdownTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  const widths = head.map((h, c) => Math.max(3, cell(h).length, ...rows.map((r) => cell(r[c] ?? "").length)));
  const line = (cells: readonly string[]) =>
    `| ${widths
      .map((w, c) => (c === 0 ? cell(cells[c] ?? "").padEnd(w) : cell(cells[c] ?? "").padStart(w)))
      .join(" | ")} |`;
  const rule = `|${widths.map((w, c) => (c === 0 ? ` ${"-".repeat(w)} ` : ` ${"-".repeat(w - 1)}: `)).join("|")}|`;
  return [line(head), rule, ...rows.map(line)].join("\n");
}

/** The summary table of every goal, in report order. */
export function goalSummary(sections: readonly Section[]): string {
  const goals = sections.flatMap((s) => s.goals);
  const met = goals.filter((g) => g.met).length;
  const rows = goals.map((g) => [g.section, g.goal, g.figure, g.met ? "**met**" : "**NOT met**"]);
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  // left-aligned throughout: these columns hold words
  const widths = ["section", "goal", "figure", "status"].map((h, c) =>
    Math.max(h.length, ...rows.map((r) => cell(r[c]!).length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((s, c) => cell(s).padEnd(widths[c]!)).join(" | ")} |`;
  return [
    `${met} of ${goals.length} goals met.`,
    "",
    line(["section", "goal", "figure", "status"]),
    `|${widths.map((w) => ` ${"-".repeat(w)} `).join("|")}|`,
    ...rows.map(line),
  ].join("\n");
}

/** The machine the figures come from, as a markdown list. */
export function machine(): string {
  const cpus = os.cpus();
  const models = [...new Set(cpus.map((c) => c.model.trim()))].join(", ");
  const load = os.loadavg().map((l) => l.toFixed(2));
  return [
    `- Node.js ${process.version} (V8 ${process.versions.v8}), ${process.arch}`,
    `- CPU: ${models || "unknown"} × ${cpus.length}`,
    `- Memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB total, ${(os.freemem() / 2 ** 30).toFixed(1)} GiB free at the start`,
    `- OS: ${os.type()} ${os.release()} (${os.platform()})`,
    `- Load average at the start: ${load.join(" / ")} (1 / 5 / 15 min)`,
  ].join("\n");
}

/** Progress for whoever watches the run: on stderr, so that stdout is the markdown report alone. */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** `n` with thousands separators. */
export const count = (n: number): string => n.toLocaleString("en-US");

/** `1k`, `10k`, `100k`. */
export const sizeLabel = (size: number): string => (size >= 1000 ? `${size / 1000}k` : String(size));
