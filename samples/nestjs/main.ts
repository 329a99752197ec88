// A Nest app running moirae graphs over HTTP. Start it with `npm run sample:nestjs`, then:
//   curl -s localhost:3000/workflows/run -H 'content-type: application/json' \
//     -d '{"apples":{"node":"PriceLine","inputs":{"sku":"apple","quantity":3}},
//          "bread":{"node":"PriceLine","arguments":{"discountPercent":10},"inputs":{"sku":"bread","quantity":1}},
//          "total":{"node":"Sum","inputs":{"a":"${apples.cents}","b":"${bread.cents}"}}}'
import "reflect-metadata";
import { NestFactory } from "@nestjs/core";
import { AppModule } from "./app.module";

async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  app.enableShutdownHooks(); // SIGINT / SIGTERM close the app, and with it the cache
  await app.listen(Number(process.env.PORT ?? 3000));
  console.log(`listening on ${await app.getUrl()}`);
}

void main();
