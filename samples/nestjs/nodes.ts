import { IsInt, IsNumber, IsString, Max, Min } from "class-validator";
import { Input, Node, type NodeContext, Output } from "../../src/index";
import { PricingService } from "./pricing.service";

@Input()
export class LineInput {
  @IsString() sku!: string;
  @IsInt() @Min(1) quantity!: number;
}

@Output()
export class Amount {
  @IsNumber() cents!: number;
}

/** One order line's price; `discountPercent` is an argument, `PricingService` comes from Nest. */
@Node({ input: LineInput, output: Amount })
export class PriceLine {
  @IsInt() @Min(0) @Max(100) discountPercent = 0;

  constructor(private readonly pricing: PricingService) {}

  async execute(input: LineInput, _ctx: NodeContext): Promise<Amount> {
    const price = await this.pricing.linePrice(input.sku, input.quantity);
    return { cents: Math.round(price * (1 - this.discountPercent / 100)) };
  }
}

@Input()
export class PairInput {
  @IsNumber() a!: number;
  @IsNumber() b!: number;
}

/** The sum of two amounts. */
@Node({ input: PairInput, output: Amount })
export class Sum {
  execute(input: PairInput): Amount {
    return { cents: input.a + input.b };
  }
}
