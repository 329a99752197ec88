import { NodeDefinitionError } from "./node-definition-error";

/**
 * The container handed back a node instance that an earlier try already used (the node class is registered as
 * a singleton). moirae sets each node's arguments on its own instance, so sharing one would give a node
 * another node's arguments. Not retried.
 */
export class SharedNodeInstanceError extends NodeDefinitionError {
  constructor(className: string) {
    super(className, [
      `the container returned an instance of ${className} that an earlier try already used, so ${className} is ` +
        "registered as a singleton. A node class must not be a singleton: moirae sets each node's arguments on " +
        `its own instance. Leave ${className} unregistered (@Node makes it transient), or register it with ` +
        `container.register(${className}, { useClass: ${className} }); in Nest, list it in MoiraeModule.forFeature.`,
    ]);
  }
}
