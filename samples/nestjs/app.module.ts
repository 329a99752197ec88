import { Module } from "@nestjs/common";
import { APP_FILTER } from "@nestjs/core";
import { FileCacheProvider } from "../../src/index";
import { MoiraeExceptionFilter, MoiraeModule } from "../../src/nestjs/index";
import { PriceLine, Sum } from "./nodes";
import { PriceRepository } from "./price-repository";
import { PricingService, TAX_PERCENT } from "./pricing.service";
import { WorkflowsController } from "./workflows.controller";

@Module({
  imports: [
    MoiraeModule.forRootAsync({
      useFactory: () => ({
        cache: new FileCacheProvider({ dir: process.env.MOIRAE_CACHE_DIR ?? ".moirae-cache/nestjs" }),
        defaults: { concurrency: 8 },
      }),
    }),
    MoiraeModule.forFeature([PriceLine, Sum]),
  ],
  controllers: [WorkflowsController],
  providers: [
    PriceRepository,
    PricingService,
    { provide: TAX_PERCENT, useValue: 10 },
    { provide: APP_FILTER, useClass: MoiraeExceptionFilter },
  ],
})
export class AppModule {}
