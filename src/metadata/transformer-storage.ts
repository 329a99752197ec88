import type { MetadataStorage } from "class-transformer/types/MetadataStorage";

/** class-transformer's metadata (`@Type`, `@Expose`, `@Transform`…); its package ships no types for this path. */
export const transformerStorage: MetadataStorage =
  require("class-transformer/cjs/storage").defaultMetadataStorage;
