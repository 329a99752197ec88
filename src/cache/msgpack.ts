import { Packr } from "msgpackr";

/**
 * One msgpackr instance for every codec (it is synchronous, so sharing it is safe). The options:
 * - `useRecords: false`: objects are standard msgpack maps, so the bytes depend on the value alone, never on
 *   record structures an earlier `pack` left in this instance, and any later process can read them;
 * - `moreTypes: true`: typed arrays keep their class (a `Uint8Array` is not read back as a `Buffer`),
 *   bigints beyond 64 bits, RegExps, ArrayBuffers and DataViews survive;
 * - `structuredClone: false`: the plain form has no shared references (cycles are refused before packing),
 *   and bytes that claim reference extensions are rejected instead of followed;
 * - `mapsAsObjects: true`: every msgpack map is an object (Maps travel as tagged entry lists, see `plain-form`);
 * - `variableMapSize: true`: objects with more than 65,535 keys can be written (the fixed 16-bit size throws);
 * - `copyBuffers: true`: a decoded Buffer owns its bytes instead of viewing the cached entry, so mutating a
 *   decoded output can never change what a provider holds;
 * - `int64AsType: "bigint"`: msgpackr writes numbers beyond 32 bits as float64, so a 64-bit integer in the payload
 *   always was a bigint.
 * Floats stay 64-bit (no `useFloat32`), Dates keep their milliseconds (no `useTimestamp32`).
 */
export const packr = new Packr({
  useRecords: false,
  moreTypes: true,
  structuredClone: false,
  mapsAsObjects: true,
  variableMapSize: true,
  copyBuffers: true,
  int64AsType: "bigint",
});
