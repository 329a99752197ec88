import { AsyncLocalStorage } from "node:async_hooks";
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from "@nestjs/common";
import { Observable } from "rxjs";

/** The HTTP request a run was started from, if any (read when node instances are created). */
export const currentRequest = new AsyncLocalStorage<object>();

/**
 * Remembers the request of each HTTP handler while it runs, so that nodes of a run started there get that
 * request's request-scoped services. Registered globally by `MoiraeModule.forRoot`.
 */
@Injectable()
export class RequestScopeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== "http") return next.handle();
    const request = context.switchToHttp().getRequest<object>();
    return new Observable((subscriber) =>
      currentRequest.run(request, () => next.handle().subscribe(subscriber)),
    );
  }
}
