import { Inject, Injectable } from "@nestjs/common";
import { PriceRepository } from "./price-repository";

/** The tax rate in percent, an injection token of the app. */
export const TAX_PERCENT = "TAX_PERCENT";

/** Prices order lines from the repository. */
@Injectable()
export class PricingService {
  constructor(
    private readonly repository: PriceRepository,
    @Inject(TAX_PERCENT) private readonly taxPercent: number,
  ) {}

  /** The price of `quantity` units in cents, tax included. */
  async linePrice(sku: string, quantity: number): Promise<number> {
    const unit = await this.repository.findUnitPrice(sku);
    if (unit === undefined) throw new Error(`unknown SKU "${sku}"`);
    return Math.round(unit * quantity * (1 + this.taxPercent / 100));
  }
}
