import "reflect-metadata";

export { NodeDependencyError, type UnresolvedNode } from "../errors/node-dependency-error";
export { MOIRAE_OPTIONS } from "./constants";
export type { MoiraeModuleAsyncOptions, MoiraeModuleOptions, MoiraeOptionsFactory } from "./module-options";
export { type MoiraeErrorBody, MoiraeExceptionFilter } from "./moirae-exception-filter";
export { MoiraeFeatureModule, MoiraeModule } from "./moirae-module";
export { NestNodeContainer } from "./nest-node-container";
