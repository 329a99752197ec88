import { readDataFields } from "../metadata/describe-node";
import { getMetadataStore } from "../metadata/metadata-store";

/**
 * Marks a class as the output data of nodes. Its fields carry class-validator decorators; moirae validates
 * every output against them, and the cache stores outputs of this shape.
 *
 * @example
 * @Output()
 * class AddOutput {
 *   @IsNumber() o!: number;
 * }
 */
export function Output(): ClassDecorator {
  return (target) => {
    readDataFields(target, "output");
    getMetadataStore().addDataClass(target, "output");
  };
}
