import type { QueueConfig } from '@nest-cloud-tasks/core';
import type { ProcessorBehaviour } from './attempt-plan.js';

/** The environment variable the harness hands an app instance its configuration in (JSON). */
export const CHAOS_APP_ENV = 'CHAOS_APP_CONFIG';

/** Everything one app instance is configured with. */
export interface ChaosAppConfig {
  /** Instance name (`a`, `b`), written beside every effect. */
  instance: string;
  projectId: string;
  location: string;
  serviceAccountEmail: string;
  /** The load balancer's URL: where tasks are POSTed, and the OIDC audience. */
  serviceUrl: string;
  /** gRPC `host:port` of the emulator. */
  emulatorHost: string;
  /** The emulator's `/certs`, which `verify-signature` checks the tokens against. */
  certsUrl: string;
  /** The store fault proxy in front of upstash-local. */
  upstash: { url: string; token: string };
  failMode: 'open' | 'closed';
  /** Job name → queue config (the emulator holds the same queues). */
  queues: Record<string, QueueConfig>;
  /** Job name → what its processor does. */
  behaviours: Record<string, ProcessorBehaviour>;
  /** Redis (with its database) the effects are counted in, straight from the processor. */
  redisUrl: string;
  /** Prefix of this scenario's effect keys. */
  effectsPrefix: string;
  /** Seed of the per-job work durations. */
  seed: number;
}

/** The keys a scenario's effects live under (written by the app, read by the harness). */
export function effectKeys(prefix: string): { effects: string; starts: string; log: string } {
  return { effects: `${prefix}effects`, starts: `${prefix}starts`, log: `${prefix}effect-log` };
}

/** One line of the effect log: `seq instance pid epochMs`. */
export interface EffectEvent {
  seq: number;
  instance: string;
  pid: number;
  at: number;
}

export function effectLogLine(event: EffectEvent): string {
  return `${event.seq} ${event.instance} ${event.pid} ${event.at}`;
}

export function parseEffectLogLine(line: string): EffectEvent {
  const [seq, instance, pid, at] = line.split(' ');
  return { seq: Number(seq), instance, pid: Number(pid), at: Number(at) };
}

/** The payload of every chaos job. */
export interface ChaosPayload {
  seq: number;
}

/** Reads the configuration from the environment; fails with a message naming the variable. */
export function readChaosAppConfig(env: NodeJS.ProcessEnv = process.env): ChaosAppConfig {
  const raw = env[CHAOS_APP_ENV];
  if (!raw) throw new Error(`${CHAOS_APP_ENV} is not set: the chaos app is started by the fault suite (npm run chaos).`);
  return JSON.parse(raw) as ChaosAppConfig;
}
