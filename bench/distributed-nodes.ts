// Nodes of the distributed benchmark, loaded by the bench process and by its `moirae worker` processes.
import "reflect-metadata";
import { IsInt, IsNumber, Min } from "class-validator";
import { Input, Node, Output } from "../src/index";

@Input()
export class DistBenchIn {
  @IsNumber() x!: number;
}

@Output()
export class DistBenchOut {
  @IsNumber() o!: number;
}

/** Does nothing: what is measured is the trip to a worker and back. */
@Node({ input: DistBenchIn, output: DistBenchOut, name: "DistBenchNoop" })
export class DistBenchNoop {
  execute(input: DistBenchIn): DistBenchOut {
    return { o: input.x + 1 };
  }
}

/** Keeps one core busy for `ms` milliseconds. */
@Node({ input: DistBenchIn, output: DistBenchOut, name: "DistBenchSpin" })
export class DistBenchSpin {
  @IsInt() @Min(0) ms = 200;
  execute(input: DistBenchIn): DistBenchOut {
    const end = performance.now() + this.ms;
    let n = 0;
    while (performance.now() < end) n++;
    return { o: input.x + (n > 0 ? 1 : 0) };
  }
}
