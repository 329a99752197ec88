// Child process of the tracing tests: runs a graph without any tracer provider registered and prints which
// OpenTelemetry or moirae tracing modules got loaded. With --block, @opentelemetry/* cannot even be resolved;
// with --register, a tracer provider is registered first.
import Module from "node:module";
import path from "node:path";

if (process.argv.includes("--block")) {
  const resolve = (Module as any)._resolveFilename;
  (Module as any)._resolveFilename = function (request: string, ...rest: unknown[]) {
    if (request.startsWith("@opentelemetry/")) {
      throw Object.assign(new Error(`Cannot find module '${request}'`), { code: "MODULE_NOT_FOUND" });
    }
    return resolve.call(this, request, ...rest);
  };
}

async function main(): Promise<void> {
  if (process.argv.includes("--register")) {
    // the control case: with a provider registered, the tracing code and the API are loaded
    const { trace } = require("@opentelemetry/api");
    const { BasicTracerProvider } = require("@opentelemetry/sdk-trace-base");
    trace.setGlobalTracerProvider(new BasicTracerProvider());
  }
  const moirae = require("../../src/index") as typeof import("../../src/index");
  const { pipeline } = require("../report/report-fixtures") as typeof import("../report/report-fixtures");
  const afterImport = loaded();
  const outputs = await moirae.execute(pipeline(), { retries: 1 });
  console.log(JSON.stringify({ afterImport, afterRun: loaded(), nodes: Object.keys(outputs).length }));
}

function loaded(): string[] {
  return Object.keys(require.cache)
    .filter((file) => /@opentelemetry[\\/]api[\\/]|[\\/]tracing[\\/](otel|trace-)/.test(file))
    .map((file) => (/@opentelemetry[\\/]api[\\/]/.test(file) ? "@opentelemetry/api" : path.basename(file)))
    .filter((name, i, all) => all.indexOf(name) === i)
    .sort();
}

void main();
