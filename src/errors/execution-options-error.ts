import { MoiraeError } from "./moirae-error";

/** An option given to `execute` / `executeStream` / `Executor` is invalid (a negative `concurrency`, an unknown `onError`…). */
export class ExecutionOptionsError extends MoiraeError {
  constructor(
    /** The option's name, e.g. `concurrency`. */
    readonly option: string,
    /** What is wrong and what is accepted. */
    readonly problem: string,
  ) {
    super(`Invalid execution option "${option}": ${problem}`);
  }
}
