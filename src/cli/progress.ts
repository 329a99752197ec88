import { SingleBar } from "cli-progress";
import { truncate } from "./format";
import type { RunTally } from "./run-tally";

/** The longest list of running node names the bar shows. */
const RUNNING_WIDTH = 60;

/**
 * The live progress bar of a run on a terminal (cli-progress): `[█████░░░░░] 12/49 · done 7 · cached 4 ·
 * failed 1 · running 3: tokens_bees, keywords_salt, …`. Drawn on `stream` (standard error), cleared when the
 * run ends.
 */
export class ProgressBar {
  private readonly bar: SingleBar;

  constructor(
    private readonly tally: RunTally,
    stream: NodeJS.WritableStream,
  ) {
    this.bar = new SingleBar({
      stream,
      format: "[{bar}] {value}/{total} {counts}",
      barCompleteChar: "█",
      barIncompleteChar: "░",
      barsize: 24,
      hideCursor: true,
      clearOnComplete: true,
      fps: 10,
    });
  }

  start(): void {
    this.bar.start(this.tally.nodes.length, 0, { counts: this.counts() });
  }

  /** Redraws with the tally's counts (throttled by cli-progress). */
  update(): void {
    this.bar.update(this.tally.ended, { counts: this.counts() });
  }

  stop(): void {
    this.bar.update(this.tally.ended, { counts: this.counts() });
    this.bar.stop();
  }

  /** `· done 7 · cached 4 · failed 1 · running 3: a, b, c`. */
  counts(): string {
    const t = this.tally;
    const parts = [`done ${t.count("done")}`, `cached ${t.count("cached")}`, `failed ${t.count("failed")}`];
    const skipped = t.count("skipped");
    if (skipped) parts.push(`skipped ${skipped}`);
    const running = [...t.running];
    parts.push(
      `running ${running.length}${running.length ? `: ${truncate(running.join(", "), RUNNING_WIDTH)}` : ""}`,
    );
    return `· ${parts.join(" · ")}`;
  }
}
