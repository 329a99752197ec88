// Graph shapes shared by the benchmarks (GraphBuilder and Executor): chain, wide and layered, of no-op nodes.
import { IsNumber } from "class-validator";
import { type GraphSpec, Input, Node, Output } from "../src/index";
import { tick } from "./measure";

@Input()
export class BenchInput {
  @IsNumber() x!: number;
  @IsNumber() y!: number;
}

@Output()
export class BenchOutput {
  @IsNumber() o!: number;
}

/** The no-op node of every shape: `o = x + y`. */
@Node({ input: BenchInput, output: BenchOutput, name: "BenchAdd" })
export class BenchAdd {
  execute(input: BenchInput): BenchOutput {
    tick();
    return { o: input.x + input.y };
  }
}

export type ShapeName = "chain" | "wide" | "layered";

export const SHAPES: readonly ShapeName[] = ["chain", "wide", "layered"];

/** Node i takes `x` from node i−1 (node 0: the literal 0) and the literal `y` 1. */
export function chain(size: number): GraphSpec {
  const spec: GraphSpec = {};
  for (let i = 0; i < size; i++) {
    spec[`n${i}`] = { node: "BenchAdd", inputs: { x: i === 0 ? 0 : `\${n${i - 1}.o}`, y: 1 } };
  }
  return spec;
}

/** No edges: node i has the literals `x` i and `y` 1. */
export function wide(size: number): GraphSpec {
  const spec: GraphSpec = {};
  for (let i = 0; i < size; i++) spec[`n${i}`] = { node: "BenchAdd", inputs: { x: i, y: 1 } };
  return spec;
}

/**
 * 10 layers of width W = size / 10. Layer 0 has the literals `x` j and `y` 1; node j of layer l > 0 takes `x`
 * from node (j*7+1) % W and `y` from node (j*13+3) % W of layer l−1.
 */
export function layered(size: number, layers = 10): GraphSpec {
  const width = Math.max(1, Math.floor(size / layers));
  const spec: GraphSpec = {};
  for (let l = 0; l < layers; l++) {
    for (let j = 0; j < width; j++) {
      spec[`l${l}_${j}`] =
        l === 0
          ? { node: "BenchAdd", inputs: { x: j, y: 1 } }
          : {
              node: "BenchAdd",
              inputs: {
                x: `\${l${l - 1}_${(j * 7 + 1) % width}.o}`,
                y: `\${l${l - 1}_${(j * 13 + 3) % width}.o}`,
              },
            };
    }
  }
  return spec;
}

/** The spec of `shape` with `size` nodes. */
export function shape(name: ShapeName, size: number): GraphSpec {
  return name === "chain" ? chain(size) : name === "wide" ? wide(size) : layered(size);
}
