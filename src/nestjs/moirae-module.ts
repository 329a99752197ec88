import {
  type DynamicModule,
  Global,
  Inject,
  Module,
  type OnApplicationShutdown,
  type Provider,
  type Type,
} from "@nestjs/common";
import { APP_INTERCEPTOR } from "@nestjs/core";
import { container as rootContainer } from "tsyringe";
import { CacheProvider } from "../cache/cache-provider";
import { Executor } from "../execution/executor";
import { GraphBuilder } from "../graph/graph-builder";
import { NodeRegistry } from "../metadata/registry";
import type { NodeClass } from "../metadata/types";
import { MOIRAE_FEATURE_NODES, MOIRAE_OPTIONS } from "./constants";
import type { MoiraeModuleAsyncOptions, MoiraeModuleOptions, MoiraeOptionsFactory } from "./module-options";
import { NestExecutor } from "./nest-executor";
import { NestNodeContainer } from "./nest-node-container";
import { RequestScopeInterceptor } from "./request-scope";

/** Lists the node classes of one `forFeature` call (their services come from the importing module). */
@Module({})
export class MoiraeFeatureModule {}

/**
 * moirae in a Nest app. `forRoot` / `forRootAsync` make a global module providing `Executor`, `GraphBuilder`
 * and `CacheProvider` (the core classes as tokens); runs resolve node instances through Nest, a fresh one per
 * try. `forFeature([...nodes])` in a module gives those nodes that module's providers, checked at start-up.
 * `app.close()` closes the cache.
 *
 * @example
 * @Module({
 *   imports: [
 *     MoiraeModule.forRoot({ cache: new FileCacheProvider({ dir: ".cache" }), defaults: { concurrency: 8 } }),
 *     MoiraeModule.forFeature([PriceLine, Sum]),
 *   ],
 *   providers: [PricingService],
 * })
 * class AppModule {}
 */
@Global()
@Module({})
export class MoiraeModule implements OnApplicationShutdown {
  constructor(@Inject(CacheProvider) private readonly cache: CacheProvider) {}

  /** The global module with the given options. */
  static forRoot(options: MoiraeModuleOptions = {}): DynamicModule {
    return MoiraeModule.root([{ provide: MOIRAE_OPTIONS, useValue: options }], []);
  }

  /** The global module with options made by a factory, a class or an existing provider. */
  static forRootAsync(options: MoiraeModuleAsyncOptions): DynamicModule {
    const providers: Provider[] = [];
    if (options.useFactory) {
      providers.push({
        provide: MOIRAE_OPTIONS,
        useFactory: options.useFactory,
        inject: options.inject ?? [],
      });
    } else {
      const factory = (options.useClass ?? options.useExisting) as Type<MoiraeOptionsFactory> | undefined;
      if (!factory)
        throw new TypeError("MoiraeModule.forRootAsync needs useFactory, useClass or useExisting.");
      if (options.useClass) providers.push({ provide: factory, useClass: factory });
      providers.push({
        provide: MOIRAE_OPTIONS,
        useFactory: (made: MoiraeOptionsFactory) => made.createMoiraeOptions(),
        inject: [factory],
      });
    }
    return MoiraeModule.root(providers, options.imports ?? []);
  }

  /** Node classes whose constructor services come from the module that imports this. */
  static forFeature(nodes: readonly NodeClass[]): DynamicModule {
    return {
      module: MoiraeFeatureModule,
      providers: [{ provide: MOIRAE_FEATURE_NODES, useValue: [...nodes] }],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.cache.close();
  }

  private static root(optionProviders: Provider[], imports: DynamicModule["imports"]): DynamicModule {
    return {
      module: MoiraeModule,
      global: true,
      imports,
      providers: [
        ...optionProviders,
        NestNodeContainer,
        { provide: APP_INTERCEPTOR, useClass: RequestScopeInterceptor },
        {
          provide: CacheProvider,
          useFactory: (options: MoiraeModuleOptions) => options.cache ?? new CacheProvider(),
          inject: [MOIRAE_OPTIONS],
        },
        { provide: NodeRegistry, useFactory: () => new NodeRegistry() },
        {
          provide: GraphBuilder,
          useFactory: (registry: NodeRegistry) => new GraphBuilder(registry),
          inject: [NodeRegistry],
        },
        {
          provide: Executor,
          useFactory: (cache: CacheProvider, nodes: NestNodeContainer, options: MoiraeModuleOptions) => {
            const scope = rootContainer.createChildContainer();
            scope.register(CacheProvider, { useValue: cache });
            const executor = scope.resolve(NestExecutor);
            executor.nodes = nodes;
            executor.defaults = options.defaults ?? {};
            return executor;
          },
          inject: [CacheProvider, NestNodeContainer, MOIRAE_OPTIONS],
        },
      ],
      exports: [CacheProvider, GraphBuilder, Executor, NodeRegistry, NestNodeContainer, MOIRAE_OPTIONS],
    };
  }
}
