// Child process of nest-shutdown.test.ts: a Nest app with a Redis cache runs a graph, then closes. It must exit by
// itself (nothing left open); it prints the run's outputs and where the cache wrote.
import "reflect-metadata";
import { Module } from "@nestjs/common";
import { NestFactory } from "@nestjs/core";
import { Executor, GraphBuilder, RedisCacheProvider } from "../../src/index";
import { MoiraeModule } from "../../src/nestjs/index";
import { GreetingModule } from "./fixtures";

@Module({
  imports: [
    MoiraeModule.forRoot({ cache: new RedisCacheProvider({ prefix: process.env.PREFIX! }) }),
    GreetingModule,
  ],
})
class RedisAppModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(RedisAppModule, { logger: false });
  await app.listen(0, "127.0.0.1");
  const graph = app.get(GraphBuilder).build({ g: { node: "NestGreet", inputs: {} } });
  const outputs = await app.get(Executor).run(graph);
  console.log(JSON.stringify({ outputs, hash: graph.hashOf("g") }));
  await app.close();
}

void main();
