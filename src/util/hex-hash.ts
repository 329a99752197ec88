const HEX_HASH = /^[0-9a-f]{64}$/;

/** Whether `value` is a hash as moirae writes them: a SHA-256 digest in 64 lowercase hexadecimal digits. */
export function isHexHash(value: unknown): value is string {
  return typeof value === "string" && HEX_HASH.test(value);
}
