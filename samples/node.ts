// Defining a node and running it alone: an AddMul node run eagerly, then the registry.
// Run with: npm run sample -- samples/node.ts
import { IsInt, IsNumber } from "class-validator";
import { Input, NODES, Node, Output, runNode } from "../src/index";

@Input()
class AddMulInput {
  @IsNumber() a!: number;
  @IsNumber() b!: number;
}

@Output()
class AddMulOutput {
  @IsNumber() o!: number;
}

@Node({ input: AddMulInput, output: AddMulOutput })
class AddMul {
  @IsInt() coef = 1; // an argument: validated, defaults to 1

  async execute(input: AddMulInput): Promise<AddMulOutput> {
    const added = input.a + input.b;
    return { o: this.coef * added };
  }
}

async function main(): Promise<void> {
  const output = await runNode(AddMul, { a: 1, b: 2 }, { args: { coef: 2 } });
  console.log(output); // AddMulOutput { o: 6 }
  console.log(output instanceof AddMulOutput, output.o); // true 6
  console.log(NODES); // Map(1) { 'AddMul' => [class AddMul] }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
