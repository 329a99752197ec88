// Swapping services through the DI container, the way NestJS tests override providers: a child container gets
// a fake exchange-rate service and its own cache provider; the root container is untouched.
// Run with: npm run sample -- samples/di.ts
import "reflect-metadata"; // tsyringe needs it loaded before its own import (moirae loads it too, but after)
import { IsNumber, IsString } from "class-validator";
import { container, inject, injectable } from "tsyringe";
import { buildGraph, CacheProvider, execute, Input, MemoryCacheProvider, Node, Output } from "../src/index";

/** The real service would call a remote API. */
@injectable()
class ExchangeRates {
  async rate(from: string, to: string): Promise<number> {
    return from === to ? 1 : 1.1;
  }
}

@Input()
class Money {
  @IsNumber() amount!: number;
  @IsString() currency!: string;
}

@Output()
class Converted {
  @IsNumber() amount!: number;
}

@Node({ input: Money, output: Converted })
class ToEuro {
  constructor(@inject(ExchangeRates) private readonly rates: ExchangeRates) {}
  async execute(input: Money): Promise<Converted> {
    return { amount: input.amount * (await this.rates.rate(input.currency, "EUR")) };
  }
}

async function main(): Promise<void> {
  const spec = { price: { node: "ToEuro", inputs: { amount: 100, currency: "USD" } } };

  // A testing container: override the service and the cache, like Test.createTestingModule().overrideProvider().
  const testing = container.createChildContainer();
  testing.register(ExchangeRates, { useValue: { rate: async () => 2 } });
  const cache = new MemoryCacheProvider();
  testing.register(CacheProvider, { useValue: cache });

  const faked = await execute(buildGraph(spec, { container: testing }), { container: testing });
  console.log("with the fake service:", faked.price); // Converted { amount: 200 }
  console.log("cached entries in the child's provider:", cache.stats().entries); // 1

  const real = await execute(buildGraph(spec));
  console.log("root container, real service:", real.price); // Converted { amount: 110.00000000000001 }
  console.log("root container has a CacheProvider registered:", container.isRegistered(CacheProvider)); // false
  void ToEuro;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
