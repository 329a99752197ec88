import { statSync } from "node:fs";
import type { NodeMetadata } from "../metadata/types";
import type { ProblemSink } from "./problems";

/**
 * A `thread: true` node's class must be loadable by a worker thread from the module file `@Node` recorded: a file
 * that is gone (moved, deleted, a build output cleaned) is a build issue here, not a failure in the middle of a run.
 * Returns whether the module is there (or not needed).
 */
export function checkThreadModule(name: string, meta: NodeMetadata, problem: ProblemSink): boolean {
  if (!meta.thread) return true;
  const file = meta.modulePath;
  if (file !== undefined && isFile(file)) return true;
  problem(
    `${name}.node`,
    "thread-module",
    `${meta.name} runs in worker threads (thread: true), but its module ${file === undefined ? "is unknown" : `"${file}" no longer exists`}: threads load the class from that file. Rebuild or restore the file, or remove thread: true.`,
  );
  return false;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
