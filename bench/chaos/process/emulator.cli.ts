import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { QueueConfig } from '@nest-cloud-tasks/core';
import { ManagedProcess } from './managed-process.js';

// NOTE: the package's own bin, next to its entry point.
const CLI = fileURLToPath(new URL('./cli.js', import.meta.resolve('@nest-cloud-tasks/emulator')));

/** Where a running emulator answers. */
export interface EmulatorAddress {
  /** gRPC `host:port` (CLOUD_TASKS_EMULATOR_HOST). */
  grpc: string;
  /** Base URL of the HTTP side (`/certs`, `/attempts`). */
  http: string;
}

/**
 * Reads the emulator's readiness line, `cloud-tasks-emulator listening grpc=HOST:PORT http=HOST:PORT` (the same
 * address twice when gRPC and HTTP share the port). A line with one address only gives it to both.
 */
export function parseEmulatorReadyLine(line: string): EmulatorAddress | undefined {
  if (!line.includes('cloud-tasks-emulator listening')) return undefined;
  const named = (key: string) => new RegExp(`\\b${key}=(?:https?://)?(\\S+)`).exec(line)?.[1];
  const bare = /listening\s+(?:https?:\/\/)?([^\s=]+:\d+)/.exec(line)?.[1];
  const grpc = named('grpc') ?? named('addr') ?? named('url') ?? bare;
  const http = named('http') ?? grpc;
  return grpc && http ? { grpc, http: `http://${http}` } : undefined;
}

/** What the emulator is started with. */
export interface EmulatorSetup {
  projectId: string;
  location: string;
  queues: Record<string, QueueConfig>;
  timeScale: number;
  /** Directory for the queue file and the log. */
  dir: string;
}

/**
 * The Cloud Tasks emulator CLI as a child process (gRPC and HTTP on one port). The first start takes a free port; a
 * restart reuses it, so the apps' emulator host and certs URL stay valid (the tasks it held are gone, as after a
 * crash). Each start signs with a new key (`--ephemeral-key`): a restart is also a key rotation, and nothing is
 * written to the user's key cache.
 */
export class EmulatorCli {
  private process?: ManagedProcess;
  private port?: number;
  address?: EmulatorAddress;
  private readonly queuesFile: string;
  private starts = 0;

  constructor(private readonly setup: EmulatorSetup) {
    this.queuesFile = join(setup.dir, 'queues.json');
    writeFileSync(this.queuesFile, JSON.stringify({ projectId: setup.projectId, location: setup.location, queues: setup.queues }, null, 2));
  }

  get running(): boolean {
    return this.process?.running ?? false;
  }

  get certsUrl(): string {
    return `${this.address!.http}/certs`;
  }

  async start(): Promise<EmulatorAddress> {
    const args = ['--port', String(this.port ?? 0), '--queues-from', this.queuesFile, '--time-scale', String(this.setup.timeScale), '--ephemeral-key'];
    this.process = await ManagedProcess.start({
      name: `emulator#${++this.starts}`,
      script: CLI,
      args,
      readyLine: /cloud-tasks-emulator listening.*/,
      logFile: join(this.setup.dir, 'emulator.log'),
    });
    const address = parseEmulatorReadyLine(this.process.ready[0]);
    if (!address) throw new Error(`Unexpected emulator readiness line: ${this.process.ready[0]}`);
    this.address = address;
    this.port ??= portOf(address.grpc);
    return address;
  }

  /** `kill -9`. */
  async crash(): Promise<void> {
    await this.process?.crash();
  }

  /** Starts it again on the same port (retrying briefly while the old socket is released). */
  async restart(): Promise<EmulatorAddress> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.start();
      } catch (error) {
        if (attempt >= 5 || !/EADDRINUSE|exited before/.test((error as Error).message)) throw error;
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  }

  async stop(): Promise<void> {
    await this.process?.stop();
  }
}

function portOf(hostPort: string): number {
  return Number(/:(\d+)$/.exec(hostPort)?.[1]);
}
