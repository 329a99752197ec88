import { Injectable, type OnApplicationBootstrap, type Type } from "@nestjs/common";
import { type ContextId, ContextIdFactory, ModuleRef, ModulesContainer } from "@nestjs/core";
import { RuntimeException } from "@nestjs/core/errors/exceptions/runtime.exception.js";
import type { Module } from "@nestjs/core/injector/module.js";
import { REQUEST_CONTEXT_ID } from "@nestjs/core/router/request/request-constants.js";
import { NodeDependencyError, type UnresolvedNode } from "../errors/node-dependency-error";
import { getMetadataStore } from "../metadata/metadata-store";
import type { NodeContainer } from "../metadata/node-container";
import { MOIRAE_FEATURE_NODES } from "./constants";
import { currentRequest } from "./request-scope";

/**
 * The `NodeContainer` of runs inside a Nest app: a node listed in `MoiraeModule.forFeature([...])` of a module
 * is created in that module's scope (its own providers, exported or not, its imports' exports and global
 * modules), any other node in the root module's scope. Every try gets a new instance (`ModuleRef.create`);
 * inside an HTTP handler, request-scoped services are the request's own.
 */
@Injectable()
export class NestNodeContainer implements NodeContainer, OnApplicationBootstrap {
  #scopes: Map<Function, { ref: ModuleRef; module: string }> | undefined;
  #root: ModuleRef | undefined;

  constructor(private readonly modules: ModulesContainer) {}

  resolve<T>(token: new (...args: any[]) => T): T | Promise<T> {
    const root = this.rootRef();
    if (!getMetadataStore().nodeByClass(token)) return root.get(token, { strict: false });
    const ref = this.scopes().get(token)?.ref ?? root;
    return ref.create(token as Type<T>, this.contextId(root));
  }

  /**
   * Checks that every `forFeature` node's services resolve (by creating each once, outside any request); throws
   * one error listing all that do not.
   */
  async onApplicationBootstrap(): Promise<void> {
    const unresolved: UnresolvedNode[] = [];
    for (const [nodeClass, scope] of this.scopes()) {
      try {
        await scope.ref.create(nodeClass as Type, ContextIdFactory.create());
      } catch (error) {
        // Nest's own exceptions are dependency problems; an error a constructor throws outside a request (one
        // that reads the request, say) is not, and shows when a run constructs the node.
        if (!(error instanceof RuntimeException)) continue;
        unresolved.push({ nodeClass: nodeClass.name, module: scope.module, reason: messageOf(error) });
      }
    }
    if (unresolved.length > 0) throw new NodeDependencyError(unresolved);
  }

  /** Inside an HTTP handler the request's context (shared by every node of the request), else a new one. */
  private contextId(root: ModuleRef): ContextId {
    const request = currentRequest.getStore() as Record<symbol, ContextId> | undefined;
    if (request === undefined) return ContextIdFactory.create();
    let contextId = request[REQUEST_CONTEXT_ID];
    if (contextId === undefined) {
      contextId = ContextIdFactory.getByRequest(request);
      Object.defineProperty(request, REQUEST_CONTEXT_ID, { value: contextId, enumerable: false });
      root.registerRequestByContextId(request, contextId);
    }
    return contextId;
  }

  private rootRef(): ModuleRef {
    if (this.#root) return this.#root;
    // Nest lists its internal core module first and the application's root module second.
    const [, root] = [...this.modules.values()];
    this.#root = refOf(root!);
    return this.#root;
  }

  /** Node class → the scope of the module whose imports list it in `forFeature`. */
  private scopes(): Map<Function, { ref: ModuleRef; module: string }> {
    if (this.#scopes) return this.#scopes;
    const scopes = new Map<Function, { ref: ModuleRef; module: string }>();
    for (const module of this.modules.values()) {
      for (const imported of module.imports) {
        const nodes = imported.providers.get(MOIRAE_FEATURE_NODES)?.instance as Function[] | undefined;
        if (!nodes) continue;
        for (const node of nodes) {
          if (!scopes.has(node)) scopes.set(node, { ref: refOf(module), module: module.metatype.name });
        }
      }
    }
    this.#scopes = scopes;
    return scopes;
  }
}

function refOf(module: Module): ModuleRef {
  return module.providers.get(ModuleRef)!.instance as ModuleRef;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
