import type { AttemptStatus } from '../attempts/attempt-record.interface.js';

export interface DispatchRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface DispatchResult {
  status: AttemptStatus;
  /** The response's Retry-After header, if any. */
  retryAfter?: string;
  /** Error code/message when there was no response. */
  error?: string;
  /** Real ms from send to the end of the response or the failure. */
  durationMs: number;
}

export interface DispatchHandle {
  /** Gives up on the request (dispatch deadline): it completes with status `'timeout'`. */
  abort(): void;
}

/** Sends one attempt. `done` is called exactly once, never synchronously. */
export interface Dispatcher {
  send(request: DispatchRequest, done: (result: DispatchResult) => void): DispatchHandle;
  close(): void;
}
