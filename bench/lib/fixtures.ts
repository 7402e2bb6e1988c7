import { IsInt, IsString, Min } from 'class-validator';
import type { QueueConfig } from '@nest-cloud-tasks/core';

/** The one job type every scenario runs, on both Cloud Tasks and BullMQ. */
export const BENCH_JOB = 'bench-noop';
export const BENCH_PROJECT = 'bench-project';
export const BENCH_LOCATION = 'us-central1';
export const BENCH_SERVICE_ACCOUNT = 'bench-tasks@bench-project.iam.gserviceaccount.com';
/** OIDC audience: fixed, so the app's own URL (a free port) need not be known before it boots. */
export const BENCH_AUDIENCE = 'https://bench.example.run.app';
export const BENCH_ISSUER = 'https://accounts.google.com';
/** Key prefix of everything the benches write to the local Redis (removed afterwards). */
export const BENCH_REDIS_PREFIX = 'bench-nct';

/**
 * The bench queue: short backoffs so the 10 % failure variant finishes quickly; the rate limit (500/s, Cloud Tasks'
 * maximum) runs on the emulator's scaled clock so it does not bind; the concurrency limit does. The dispatch deadline
 * is the longest allowed because the emulator scales it down too (1800 s at ×100 = 18 real seconds).
 */
export function benchQueue(maxConcurrentDispatches: number): QueueConfig {
  return {
    name: 'bench-noop-queue',
    retryConfig: { maxAttempts: 5, minBackoff: '0.1s', maxBackoff: '1s', maxDoublings: 3 },
    rateLimits: { maxDispatchesPerSecond: 500, maxConcurrentDispatches },
    dispatchDeadline: 1800,
  };
}

/** The bench queue on the BullMQ transport: the same retries and concurrency, no dispatch rate (the peer has none). */
export function bullmqBenchQueue(maxConcurrentDispatches: number): QueueConfig {
  const { rateLimits, ...queue } = benchQueue(maxConcurrentDispatches);
  return { ...queue, rateLimits: { maxConcurrentDispatches: rateLimits!.maxConcurrentDispatches } };
}

/** The payload of every bench job (same bytes on both sides). */
export interface BenchPayload {
  runId: string;
  seq: number;
  userId: string;
}

/** Its class-validator class: the handler chain validates every payload, as a real handler would. */
export class BenchPayloadDto implements BenchPayload {
  @IsString() runId!: string;
  @IsInt() @Min(0) seq!: number;
  @IsString() userId!: string;
}

export function benchPayload(runId: string, seq: number): BenchPayload {
  return { runId, seq, userId: `user-${String(seq).padStart(6, '0')}` };
}

/** The headers Cloud Tasks sends with a first attempt of a bench job (every HTTP side gets the same). */
export function benchHeaders(token: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
    'x-cloudtasks-queuename': benchQueue(1).name,
    'x-cloudtasks-taskname': 'bench-task',
    'x-cloudtasks-taskretrycount': '0',
    'x-cloudtasks-taskexecutioncount': '0',
    'user-agent': 'Google-Cloud-Tasks',
  };
}
