import { QueueConfigurationError } from "../errors/queue-configuration-error";

/** A whole number option ≥ `min` (or Infinity), or its default when undefined. */
export function checkCount(
  component: string,
  option: string,
  value: number | undefined,
  fallback: number,
  min: number,
): number {
  if (value === undefined) return fallback;
  if (value === Infinity || (Number.isSafeInteger(value) && value >= min)) return value;
  throw new QueueConfigurationError(
    component,
    option,
    `must be a whole number ≥ ${min}, got ${String(value)}`,
  );
}
