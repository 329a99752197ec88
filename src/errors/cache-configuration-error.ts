import { MoiraeError } from "./moirae-error";

/** A cache provider was constructed with options it cannot work with (a non-positive size, both `client` and `url`…). */
export class CacheConfigurationError extends MoiraeError {
  /** The provider's class name. */
  readonly provider: string;
  /** The offending option's name. */
  readonly option: string;

  constructor(provider: string, option: string, problem: string, fix: string) {
    super(`Invalid ${provider} option "${option}": ${problem}. ${fix}`);
    this.provider = provider;
    this.option = option;
  }
}
