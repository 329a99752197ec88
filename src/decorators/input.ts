import { readDataFields } from "../metadata/describe-node";
import { getMetadataStore } from "../metadata/metadata-store";

/**
 * Marks a class as the input data of nodes. Its fields carry class-validator decorators (and class-transformer
 * `@Type` for nested classes and Dates); moirae validates every input against them.
 *
 * @example
 * @Input()
 * class AddInput {
 *   @IsNumber() x!: number;
 *   @IsNumber() y!: number;
 * }
 */
export function Input(): ClassDecorator {
  return (target) => {
    readDataFields(target, "input");
    getMetadataStore().addDataClass(target, "input");
  };
}
