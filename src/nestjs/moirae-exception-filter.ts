import { type ArgumentsHost, Catch } from "@nestjs/common";
import { BaseExceptionFilter } from "@nestjs/core";
import { DataValidationError } from "../errors/data-validation-error";
import { ExecutionOptionsError } from "../errors/execution-options-error";
import { GraphExecutionError } from "../errors/graph-execution-error";
import { GraphValidationError } from "../errors/graph-validation-error";
import { MoiraeError } from "../errors/moirae-error";
import { NodeArgumentsError } from "../errors/node-arguments-error";
import { NodeExecutionError } from "../errors/node-execution-error";

/** The JSON body of a moirae error answered over HTTP. */
export interface MoiraeErrorBody {
  statusCode: number;
  /** The error's class name, e.g. `"GraphValidationError"`. */
  error: string;
  message: string;
  /** Every problem, for validation errors. */
  issues?: readonly unknown[];
  /** The failed node (`NodeExecutionError`). */
  node?: string;
  /** The failed nodes (`GraphExecutionError`). */
  nodes?: string[];
}

/**
 * Answers moirae errors over HTTP: an invalid graph, input, arguments or run options (`GraphValidationError`,
 * `DataValidationError`, `NodeArgumentsError`, `ExecutionOptionsError`) is a 400, a failed run
 * (`NodeExecutionError`, `GraphExecutionError`) a 500 naming the node(s). Every other error keeps Nest's own
 * answer.
 *
 * @example
 * providers: [{ provide: APP_FILTER, useClass: MoiraeExceptionFilter }]
 * // or: app.useGlobalFilters(new MoiraeExceptionFilter(app.get(HttpAdapterHost).httpAdapter));
 */
@Catch(MoiraeError)
export class MoiraeExceptionFilter extends BaseExceptionFilter {
  override catch(error: unknown, host: ArgumentsHost): void {
    const body = host.getType() === "http" ? bodyOf(error) : undefined;
    if (!body) {
      super.catch(error, host);
      return;
    }
    const adapter = this.applicationRef ?? this.httpAdapterHost?.httpAdapter;
    const response = host.switchToHttp().getResponse();
    if (adapter) adapter.reply(response, body, body.statusCode);
    else response.status(body.statusCode).json(body);
  }
}

/** The HTTP answer to a moirae error, or undefined for errors Nest answers itself. */
export function bodyOf(error: unknown): MoiraeErrorBody | undefined {
  if (!(error instanceof MoiraeError)) return undefined;
  const base = { error: error.name, message: error.message };
  if (error instanceof GraphValidationError) return { statusCode: 400, ...base, issues: error.issues };
  if (error instanceof DataValidationError) return { statusCode: 400, ...base, issues: error.issues };
  if (error instanceof NodeArgumentsError) return { statusCode: 400, ...base, issues: error.issues };
  if (error instanceof ExecutionOptionsError) return { statusCode: 400, ...base };
  if (error instanceof NodeExecutionError) return { statusCode: 500, ...base, node: error.node };
  if (error instanceof GraphExecutionError)
    return { statusCode: 500, ...base, nodes: Object.keys(error.errors) };
  return undefined;
}
