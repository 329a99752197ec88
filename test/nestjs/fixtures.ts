import { Inject, Injectable, Module, Scope } from "@nestjs/common";
import { REQUEST } from "@nestjs/core";
import { IsInt, IsString } from "class-validator";
import { Executor, GraphBuilder, Node } from "../../src/index";
import { MoiraeModule } from "../../src/nestjs/index";
import { NoInput, Text, Value } from "../fixtures/data-classes";

export const GREETING = Symbol("GREETING");

/** A service with no constructor parameters: tsyringe would silently make a second one. */
@Injectable()
export class Counter {
  count = 0;
  next(): number {
    return ++this.count;
  }
}

/** A service of the feature module that the module does not export. */
@Injectable()
export class Secret {
  word(): string {
    return "hidden";
  }
}

/** Constructor services from Nest: a class, an `@Inject(TOKEN)` value and an unexported provider. */
@Node({ input: NoInput, output: Text })
export class NestGreet {
  @IsString() name = "world";

  constructor(
    private readonly counter: Counter,
    @Inject(GREETING) private readonly greeting: string,
    private readonly secret: Secret,
  ) {}

  execute(): Text {
    return { text: `${this.greeting}, ${this.name} #${this.counter.next()} (${this.secret.word()})` };
  }
}

/** Answers its own argument after a pause, so two of them overlap. */
@Node({ input: NoInput, output: Value })
export class NestEcho {
  @IsInt() value = 0;

  constructor(readonly counter: Counter) {}

  async execute(): Promise<Value> {
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { value: this.value };
  }
}

/** A service made once per HTTP request, reading the request's `x-caller` header. */
@Injectable({ scope: Scope.REQUEST })
export class Caller {
  readonly name: string;
  constructor(@Inject(REQUEST) request: { headers: Record<string, string | undefined> }) {
    this.name = request.headers["x-caller"] ?? "nobody"; // throws outside a request: the start-up check allows it
  }
}

@Node({ input: NoInput, output: Text })
export class NestWhoAmI {
  constructor(private readonly caller: Caller) {}

  async execute(): Promise<Text> {
    await new Promise((resolve) => setTimeout(resolve, 10));
    return { text: this.caller.name };
  }
}

/** A service of a feature module that does not import MoiraeModule.forRoot: the module is global. */
@Injectable()
export class GreetingRunner {
  constructor(
    private readonly builder: GraphBuilder,
    private readonly executor: Executor,
  ) {}

  async greet(name: string): Promise<string> {
    const outputs = await this.executor.run(
      this.builder.build({ g: { node: "NestGreet", arguments: { name }, inputs: {} } }),
    );
    return (outputs.g as Text).text;
  }
}

@Module({
  imports: [MoiraeModule.forFeature([NestGreet, NestEcho, NestWhoAmI])],
  providers: [Counter, Secret, Caller, GreetingRunner, { provide: GREETING, useValue: "Hello" }],
  exports: [Counter, GreetingRunner],
})
export class GreetingModule {}

/** Needs services nobody provides. */
export class Missing {}
export class AlsoMissing {}

@Node({ input: NoInput, output: Text })
export class NeedsMissing {
  constructor(readonly missing: Missing) {}
  execute(): Text {
    return { text: "never" };
  }
}

@Node({ input: NoInput, output: Text })
export class NeedsAlsoMissing {
  constructor(readonly missing: AlsoMissing) {}
  execute(): Text {
    return { text: "never" };
  }
}

@Module({ imports: [MoiraeModule.forFeature([NeedsMissing, NeedsAlsoMissing])] })
export class BrokenModule {}

/** Listed in no forFeature: its services come from the root module. */
@Node({ input: NoInput, output: Value })
export class NestCountUnlisted {
  constructor(private readonly counter: Counter) {}
  execute(): Value {
    return { value: this.counter.next() };
  }
}
