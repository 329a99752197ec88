import type { InjectionToken, ModuleMetadata, OptionalFactoryDependency, Type } from "@nestjs/common";
import type { CacheProvider } from "../cache/cache-provider";
import type { ExecuteOptions } from "../execution/execute-options";

/** Options of `MoiraeModule.forRoot`; every one is optional. */
export interface MoiraeModuleOptions {
  /** The cache of every run (the `CacheProvider` provider); closed on `app.close()`. Default: no cache. */
  cache?: CacheProvider;
  /** Default run options of the `Executor` provider; a run's own options override them. */
  defaults?: Omit<ExecuteOptions, "container" | "cache">;
}

/** Makes `MoiraeModuleOptions` for `MoiraeModule.forRootAsync({ useClass | useExisting })`. */
export interface MoiraeOptionsFactory {
  createMoiraeOptions(): MoiraeModuleOptions | Promise<MoiraeModuleOptions>;
}

/** Options of `MoiraeModule.forRootAsync`: one of `useFactory`, `useClass` or `useExisting`. */
export interface MoiraeModuleAsyncOptions extends Pick<ModuleMetadata, "imports"> {
  useFactory?: (...args: any[]) => MoiraeModuleOptions | Promise<MoiraeModuleOptions>;
  inject?: (InjectionToken | OptionalFactoryDependency)[];
  useClass?: Type<MoiraeOptionsFactory>;
  useExisting?: Type<MoiraeOptionsFactory>;
}
