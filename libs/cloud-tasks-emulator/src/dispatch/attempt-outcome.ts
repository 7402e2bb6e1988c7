import { status as Code } from '@grpc/grpc-js';
import { STATUS_CODES } from 'node:http';
import type { AttemptStatus } from '../attempts/attempt-record.interface.js';
import type { StatusPb } from '../grpc/proto.types.js';

/** Only 2xx acknowledges a task; anything else (including 3xx/4xx) is retried. */
export const isSuccess = (status: AttemptStatus): boolean => typeof status === 'number' && status >= 200 && status < 300;

/** 429 and 503 make Cloud Tasks back off harder and honour Retry-After. */
export const isThrottle = (status: AttemptStatus): boolean => status === 429 || status === 503;

/** The `google.rpc.Status` the service records as an attempt's response_status (standard HTTP → RPC mapping). */
export function responseStatus(status: AttemptStatus, error?: string): StatusPb {
  if (status === 'timeout') return { code: Code.DEADLINE_EXCEEDED, message: 'Dispatch deadline exceeded: no response from the target.' };
  if (status === 'network-error') return { code: Code.UNAVAILABLE, message: `Could not reach the target${error ? `: ${error}` : ''}.` };
  return { code: httpToRpcCode(status), message: `HTTP ${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}` };
}

export function httpToRpcCode(status: number): number {
  if (status >= 200 && status < 300) return Code.OK;
  switch (status) {
    case 400:
      return Code.INVALID_ARGUMENT;
    case 401:
      return Code.UNAUTHENTICATED;
    case 403:
      return Code.PERMISSION_DENIED;
    case 404:
      return Code.NOT_FOUND;
    case 409:
      return Code.ABORTED;
    case 416:
      return Code.OUT_OF_RANGE;
    case 429:
      return Code.RESOURCE_EXHAUSTED;
    case 499:
      return Code.CANCELLED;
    case 501:
      return Code.UNIMPLEMENTED;
    case 503:
      return Code.UNAVAILABLE;
    case 504:
      return Code.DEADLINE_EXCEEDED;
  }
  if (status >= 500) return Code.INTERNAL;
  if (status >= 400) return Code.FAILED_PRECONDITION;
  return Code.UNKNOWN;
}

/**
 * The X-CloudTasks-TaskRetryReason the next attempt carries. Its values are undocumented; the emulator sends a short
 * text naming the failure.
 */
export function retryReason(status: AttemptStatus, error?: string): string {
  if (status === 'timeout') return 'DEADLINE_EXCEEDED';
  if (status === 'network-error') return error ? `UNAVAILABLE: ${error}` : 'UNAVAILABLE';
  return `HTTP ${status}`;
}

/**
 * Parses a Retry-After header (delay-seconds or an HTTP-date) into ms from now. Seconds are service time, so they are
 * waited on the virtual clock like a backoff.
 */
export function retryAfterMs(header: string | undefined, wallNow: number): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - wallNow);
}
