import "reflect-metadata";

export { QueueConfigurationError } from "../errors/queue-configuration-error";
export { QueueConnectionError } from "../errors/queue-connection-error";
export { QueueJobError } from "../errors/queue-job-error";
export type { QueueConnection } from "./connection";
export { NodeWorker, type NodeWorkerOptions, type WorkerTaskReport } from "./node-worker";
export { QueueDispatcher, type QueueDispatcherOptions } from "./queue-dispatcher";
