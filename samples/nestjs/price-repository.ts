import { Injectable } from "@nestjs/common";

/** Unit prices in cents by SKU, as a database repository would serve them. */
@Injectable()
export class PriceRepository {
  private readonly prices = new Map<string, number>([
    ["apple", 40],
    ["bread", 250],
    ["cheese", 720],
  ]);

  async findUnitPrice(sku: string): Promise<number | undefined> {
    return this.prices.get(sku);
  }
}
