/** What the pool sends a thread for one try. */
export interface ThreadTaskMessage {
  /** Unique in this process: start and abort notices name it. */
  readonly id: number;
  /** The task, as `encodeTask` wrote it. */
  readonly bytes: Uint8Array;
  /** The name of the broadcast channel abort notices arrive on. */
  readonly channel: string;
  /** Whether the pool wants a start notice (it times the try from there). */
  readonly notifyStart: boolean;
}

/** What a thread answers: result bytes for `decodeResult`, and the typed arrays left out of them (transferred). */
export interface ThreadTaskReply {
  readonly bytes: Uint8Array;
  readonly views: readonly ArrayBufferView[];
}

/** Sent by a thread (through its parent port) when a try starts running. */
export interface ThreadStartNotice {
  readonly moiraeThreadStart: number;
}

/** Broadcast to the threads when a try must stop (abort or timeout): its `ctx.signal` fires. */
export interface ThreadAbortNotice {
  readonly moiraeThreadAbort: number;
  /** Why, as a message. */
  readonly reason: string;
}

export function isStartNotice(message: unknown): message is ThreadStartNotice {
  return typeof (message as ThreadStartNotice | null)?.moiraeThreadStart === "number";
}

export function isAbortNotice(message: unknown): message is ThreadAbortNotice {
  return typeof (message as ThreadAbortNotice | null)?.moiraeThreadAbort === "number";
}
