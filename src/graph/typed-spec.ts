// Types of GraphSpecBuilder: what a node accepts and offers, derived from its class and nothing else.
import type { NodeClass } from "../metadata/types";
import type { OutputReference } from "./output-reference";

/** The data fields of `T`: its keys, less methods (a data class may have some). */
type DataKeys<T> = T extends object
  ? { [K in keyof T]-?: T[K] extends (...args: any[]) => any ? never : K }[keyof T] & string
  : never;

declare const NOTHING: unique symbol;

/** No value is of this type: tsc says "not assignable to type 'NoSuchInputField'" for an input a node lacks. */
export interface NoSuchInputField {
  readonly [NOTHING]: "this node's execute takes no input";
}

/** No value is of this type: tsc says "not assignable to type 'NoSuchArgument'" for a node without arguments. */
export interface NoSuchArgument {
  readonly [NOTHING]: "this node class has no argument properties";
}

/** The instance of a node class. */
type NodeInstance<C extends NodeClass> = InstanceType<C>;

/** The input type of a node class: the first parameter of its `execute` (`undefined` when it takes none). */
export type NodeInputType<C extends NodeClass> = Parameters<NodeInstance<C>["execute"]>[0];

/** The output type of a node class: what its `execute` resolves to. */
export type NodeOutputType<C extends NodeClass> = Exclude<
  Awaited<ReturnType<NodeInstance<C>["execute"]>>,
  undefined
>;

/**
 * The argument names of a node class: the public properties of its instances that are not methods. Services
 * injected through the constructor are left out when they are `private` or `protected` (as in
 * `constructor(private readonly rates: ExchangeRates)`), and so is `execute`.
 */
export type ArgumentName<C extends NodeClass> = Exclude<DataKeys<NodeInstance<C>>, "execute">;

/**
 * The `arguments` a node accepts in a typed graph: each argument property of the class, with its type, all
 * optional (a default may fill one in; a required argument left out is reported when the graph is built).
 */
export type NodeArguments<C extends NodeClass> = [ArgumentName<C>] extends [never]
  ? { readonly [name: string]: NoSuchArgument }
  : { [K in ArgumentName<C>]?: NodeInstance<C>[K] };

/** What one input field of type `T` accepts: a literal of that type or a reference to an output of that type. */
export type InputValue<T> = T | OutputReference<T>;

/**
 * The `inputs` a node accepts in a typed graph: every data field of its input type, a literal or a reference of
 * the field's type; optional fields may be left out. A node whose `execute` takes no input accepts none.
 */
export type NodeInputs<C extends NodeClass> = [DataKeys<NodeInputType<C>>] extends [never]
  ? { readonly [field: string]: NoSuchInputField }
  : {
      [K in keyof NodeInputType<C> as K extends DataKeys<NodeInputType<C>> ? K : never]: InputValue<
        NodeInputType<C>[K]
      >;
    };

/** The output fields of a node in a typed graph: one typed reference per data field of its output type. */
export type NodeOutputs<C extends NodeClass> = {
  readonly [K in DataKeys<NodeOutputType<C>>]: OutputReference<NodeOutputType<C>[K]>;
};

/** Whether every key of `T` is optional. */
type AllOptional<T> = {} extends T ? true : false;

/** The options of `GraphSpecBuilder.node` for a node class. */
export interface TypedNodeOptions<C extends NodeClass> {
  /** Argument values; left-out arguments take their defaults. */
  arguments?: NodeArguments<C>;
  /** Every required field of the node's input: a literal or a reference to another node's output field. */
  inputs: NodeInputs<C>;
}

/**
 * The parameters after the class in `GraphSpecBuilder.node`: the options, which may be left out (and `inputs` in
 * them) when the node's input has no required field.
 */
export type TypedNodeParameters<C extends NodeClass> =
  AllOptional<NodeInputs<C>> extends true
    ? [options?: Partial<TypedNodeOptions<C>>]
    : [options: TypedNodeOptions<C>];
