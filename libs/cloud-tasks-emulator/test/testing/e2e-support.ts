import { status } from '@grpc/grpc-js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CloudSchedulerClient } from '@google-cloud/scheduler';
import type { CloudTasksClient } from '@google-cloud/tasks';
import { createEmulatorClient, createSchedulerEmulatorClient, type CloudTasksEmulator, type EmulatorClientOptions } from '../../src/index.js';

export interface CapturedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export type CaptureHandler = (req: CapturedRequest, res: http.ServerResponse) => void;

/** A plain node:http server recording every request; `handler` decides the response (default 200). */
export interface CaptureServer {
  url: string;
  requests: CapturedRequest[];
  handler: CaptureHandler;
  /** Requests being handled right now, and the most seen at once. */
  inFlight: number;
  maxInFlight: number;
  close(): Promise<void>;
}

export async function startCaptureServer(handler: CaptureHandler = (_req, res) => res.end('ok')): Promise<CaptureServer> {
  const capture: CaptureServer = {
    url: '',
    requests: [],
    handler,
    inFlight: 0,
    maxInFlight: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    capture.inFlight++;
    capture.maxInFlight = Math.max(capture.maxInFlight, capture.inFlight);
    res.on('close', () => capture.inFlight--);
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const captured = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      capture.requests.push(captured);
      capture.handler(captured, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  capture.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return capture;
}

/** The real `CloudTasksClient`, built by the emulator's own helper, pointed at the emulator (gRPC unless told otherwise). */
export function clientFor(emu: CloudTasksEmulator, options?: EmulatorClientOptions): CloudTasksClient {
  return createEmulatorClient(emu.grpcAddress, options);
}

/** The real `CloudSchedulerClient`, built by the emulator's own helper, pointed at the emulator. */
export function schedulerClientFor(emu: CloudTasksEmulator, options?: EmulatorClientOptions): CloudSchedulerClient {
  return createSchedulerEmulatorClient(emu.grpcAddress, options);
}

export const jobPath = (id: string): string => `${PARENT}/jobs/${id}`;

/** Resolves after `ms` real milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once the emulator's virtual clock has reached `virtualMs` (polling the real clock, no listener). */
export async function clockReaches(emu: CloudTasksEmulator, virtualMs: number): Promise<void> {
  while (emu.clock.now() < virtualMs) await sleep(Math.max(1, Math.ceil((virtualMs - emu.clock.now()) / emu.timeScale)));
}

/**
 * The status code and the service's message of a failed call, read the same way over gRPC (`code`, `details`) and
 * REST. NOTE: google-gax 5's REST transport puts the HTTP status on `err.code` and the raw JSON error on
 * `err.message` (fixed upstream in googleapis/google-cloud-node#9346): the `{ error: { status, message } }` body
 * the emulator sends, Google's error shape, is read back here.
 */
function readError(error: unknown): { code: number; message: string } {
  const e = error as { code: number; details?: unknown; message: string };
  if (typeof e.details === 'string') return { code: e.code, message: e.details };
  try {
    const body = JSON.parse(e.message) as { error?: { status?: keyof typeof status; message?: string } };
    if (body.error?.status) return { code: status[body.error.status], message: body.error.message ?? '' };
  } catch {
    // not a JSON error body
  }
  return { code: e.code, message: e.message };
}

/** The status code a call fails with (or 'ok'). */
export async function grpcCode(call: Promise<unknown>): Promise<number | 'ok'> {
  const outcome = await rpcError(call);
  return outcome === 'ok' ? 'ok' : outcome.code;
}

/** The status code and message a call fails with (or 'ok'). */
export async function rpcError(call: Promise<unknown>): Promise<{ code: number; message: string } | 'ok'> {
  try {
    await call;
    return 'ok';
  } catch (error) {
    return readError(error);
  }
}

export const PROJECT = 'emu-project';
export const LOCATION = 'europe-west1';
export const PARENT = `projects/${PROJECT}/locations/${LOCATION}`;
export const queuePath = (id: string): string => `${PARENT}/queues/${id}`;

/** Resolves once `count` attempts of the task are in the attempt log (checks the log first, then listens). */
export function attemptsOf(emu: CloudTasksEmulator, taskName: string, count: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (emu.attempts.forTask(taskName).length < count) return false;
      emu.off('attempt', check);
      resolve();
      return true;
    };
    if (!check()) emu.on('attempt', check);
  });
}
