// A CPU-bound node that runs in worker threads. It lives in a module of its own: every worker thread loads this
// file to find the class, so it must not start anything when loaded (the program is samples/threads.ts).
import { threadId } from "node:worker_threads";
import { IsInt, Min } from "class-validator";
import { Input, Node, Output } from "../../src/index";

@Input()
export class Range {
  @IsInt() @Min(0) from!: number;
  @IsInt() @Min(0) to!: number;
}

@Output()
export class PrimeCount {
  @IsInt() count!: number;
  /** The worker thread that counted (0 would be the main thread). */
  @IsInt() thread!: number;
}

/** Counts the primes in [from, to) by trial division: plain CPU work that never yields. */
@Node({ input: Range, output: PrimeCount, thread: true })
export class CountPrimes {
  execute({ from, to }: Range): PrimeCount {
    let count = 0;
    for (let n = Math.max(from, 2); n < to; n++) {
      let prime = true;
      for (let d = 2; d * d <= n; d++) {
        if (n % d === 0) {
          prime = false;
          break;
        }
      }
      if (prime) count++;
    }
    return { count, thread: threadId };
  }
}

@Input()
export class Counts {
  @IsInt() a!: number;
  @IsInt() b!: number;
  @IsInt() c!: number;
  @IsInt() d!: number;
}

@Output()
export class Total {
  @IsInt() total!: number;
}

/** Adds the four counts: a light node, on the event loop. */
@Node({ input: Counts, output: Total })
export class AddCounts {
  execute({ a, b, c, d }: Counts): Total {
    return { total: a + b + c + d };
  }
}
