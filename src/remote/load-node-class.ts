import { pathToFileURL } from "node:url";
import { NodeRefusedError } from "../errors/node-refused-error";
import { fingerprintOf } from "../hashing/fingerprint";
import { getMetadataStore } from "../metadata/metadata-store";
import type { NodeMetadata } from "../metadata/types";
import { messageOf } from "../util/error-text";
import type { RemoteTask } from "./remote-task";

/**
 * The metadata of the task's node class on this side. When the class is not registered yet, the task's modules
 * are loaded first (each one once per thread or process), and the answer is a promise; a registered class is
 * answered at once. Throws (or rejects with) `NodeRefusedError` when the class is still missing or its
 * fingerprint is not the coordinator's.
 */
export function loadNodeClass(
  task: RemoteTask,
  worker: string,
  loadModules = true,
): NodeMetadata | Promise<NodeMetadata> {
  const meta = getMetadataStore().nodeByName(task.nodeName);
  if (meta) return accepted(meta, task, worker);
  return loadMissingClass(task, worker, loadModules);
}

async function loadMissingClass(
  task: RemoteTask,
  worker: string,
  loadModules: boolean,
): Promise<NodeMetadata> {
  const store = getMetadataStore();
  let meta: NodeMetadata | undefined;
  let detail: string | undefined;
  if (!loadModules) {
    detail = `it loads only the modules it was started with; start it with --require ${task.modules.at(-1) ?? "<the module defining it>"}`;
  } else {
    try {
      for (const file of task.modules) await loadModule(file);
    } catch (error) {
      detail = messageOf(error);
    }
    meta = store.nodeByName(task.nodeName);
    if (!meta && detail === undefined) {
      detail = task.modules.length
        ? `loading ${task.modules.join(", ")} did not register it`
        : "the task names no module to load";
    }
  }
  if (!meta) throw new NodeRefusedError(task.nodeName, worker, task.fingerprint, undefined, detail);
  return accepted(meta, task, worker);
}

/** `meta`, when its fingerprint is the coordinator's. */
function accepted(meta: NodeMetadata, task: RemoteTask, worker: string): NodeMetadata {
  const actual = fingerprintOf(meta).hash;
  if (actual !== task.fingerprint) {
    throw new NodeRefusedError(task.nodeName, worker, task.fingerprint, actual);
  }
  return meta;
}

const loaded = new Map<string, Promise<void>>();

/** Loads a module file once: `require` (CommonJS, and ES modules Node can require), else `import()`. */
export function loadModule(file: string): Promise<void> {
  let loading = loaded.get(file);
  if (!loading) {
    loading = requireOrImport(file).catch((error: unknown) => {
      loaded.delete(file);
      throw new Error(`loading ${file} failed: ${messageOf(error)}`, {
        cause: error,
      });
    });
    loaded.set(file, loading);
  }
  return loading;
}

async function requireOrImport(file: string): Promise<void> {
  try {
    require(file);
  } catch (error) {
    const code = (error as { code?: string })?.code;
    if (code !== "ERR_REQUIRE_ESM" && code !== "ERR_REQUIRE_ASYNC_MODULE") throw error;
    await import(pathToFileURL(file).href);
  }
}
