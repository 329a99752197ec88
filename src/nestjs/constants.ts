/** Token of the options given to `MoiraeModule.forRoot` (or made by `forRootAsync`'s factory). */
export const MOIRAE_OPTIONS: unique symbol = Symbol.for("moirae.nestjs.options") as never;

/** Token of the node classes one `MoiraeModule.forFeature([...])` lists. */
export const MOIRAE_FEATURE_NODES: unique symbol = Symbol.for("moirae.nestjs.feature-nodes") as never;
