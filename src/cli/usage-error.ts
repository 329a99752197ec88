import { MoiraeError } from "../errors/moirae-error";

/**
 * The command line cannot be carried out as written (missing file, unparsable spec, module that fails to load,
 * bad option value). The CLI prints its one-line message and exits with `ExitCode.Usage`.
 */
export class UsageError extends MoiraeError {}
