/**
 * Where node instances come from: anything with `resolve(Class)` that returns an instance or a promise of one —
 * a tsyringe container, or the resolver `moirae/nestjs` gives runs inside a Nest app. moirae asks it for a
 * fresh node instance for every try and assigns the node's arguments on that instance only.
 *
 * @example
 * const nodes: NodeContainer = { resolve: (cls) => new cls(new Clock()) };
 * await execute(graph, { container: nodes });
 */
export interface NodeContainer {
  resolve<T>(token: new (...args: any[]) => T): T | Promise<T>;
}
