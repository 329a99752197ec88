import { MoiraeError } from "./moirae-error";

/** A `QueueDispatcher` or `NodeWorker` (`moirae/bullmq`) was given an option it cannot work with. */
export class QueueConfigurationError extends MoiraeError {
  constructor(
    /** `QueueDispatcher` or `NodeWorker`. */
    readonly component: string,
    /** The offending option's name. */
    readonly option: string,
    problem: string,
  ) {
    super(`Invalid ${component} option "${option}": ${problem}.`);
  }
}
