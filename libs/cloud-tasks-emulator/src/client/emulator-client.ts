import { CloudSchedulerClient } from '@google-cloud/scheduler';
import { CloudTasksClient } from '@google-cloud/tasks';
import { credentials } from '@grpc/grpc-js';
import { PassThroughClient } from 'google-auth-library';

/** Options of a Google Cloud client (`CloudTasksClient`, and any other google-gax client such as `CloudSchedulerClient`). */
export type GaxClientOptions = NonNullable<ConstructorParameters<typeof CloudTasksClient>[0]>;

/** How a client talks to the emulator. */
export interface EmulatorClientOptions {
  /**
   * `'grpc'` (default) or `'rest'`: the HTTP/JSON transport (`fallback: true` in google-gax), which the emulator
   * serves on the same port.
   */
  transport?: 'grpc' | 'rest';
}

/**
 * Client options pointing any google-gax client at the emulator at `host:port` (the value of
 * `CLOUD_TASKS_EMULATOR_HOST`): an insecure channel (gRPC) or plain `http://` (REST), and no Google credential
 * lookup at all. Spread them into `new CloudTasksClient(...)` or, with the same address, another Google client.
 */
export function emulatorClientOptions(emulatorHost: string, { transport = 'grpc' }: EmulatorClientOptions = {}): GaxClientOptions {
  const { host, port } = parseHostPort(emulatorHost);
  // NOTE: a fixed projectId and universeDomain keep google-gax from asking google-auth-library for them, which
  // would look for Application Default Credentials and probe the GCE metadata server (MetadataLookupWarning).
  const common = { servicePath: host, apiEndpoint: host, port, projectId: 'emulator', universeDomain: 'googleapis.com' };
  if (transport === 'rest') {
    // NOTE: the REST transport asks its auth client for request headers; PassThroughClient adds none and looks up nothing.
    // (google-gax may carry its own copy of google-auth-library: the client is used by duck typing, hence the cast.)
    return { ...common, fallback: true, protocol: 'http', authClient: new PassThroughClient() } as unknown as GaxClientOptions;
  }
  return { ...common, sslCreds: credentials.createInsecure(), fallback: false };
}

/** A `CloudTasksClient` talking to the emulator at `host:port` (see {@link emulatorClientOptions}). Close it when done. */
export function createEmulatorClient(emulatorHost: string, options: EmulatorClientOptions = {}): CloudTasksClient {
  return new CloudTasksClient(emulatorClientOptions(emulatorHost, options));
}

/**
 * A `CloudSchedulerClient` talking to the scheduler side of the emulator at `host:port` (the same address as Cloud
 * Tasks: see {@link emulatorClientOptions}). Close it when done.
 */
export function createSchedulerEmulatorClient(emulatorHost: string, options: EmulatorClientOptions = {}): CloudSchedulerClient {
  return new CloudSchedulerClient(emulatorClientOptions(emulatorHost, options) as ConstructorParameters<typeof CloudSchedulerClient>[0]);
}

/** Parses `host:port`, `[::1]:port` or `http://host:port`. */
export function parseHostPort(value: string): { host: string; port: number } {
  const trimmed = value.trim().replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
  const match = /^(\[[^\]]+\]|[^:/]+):(\d+)$/.exec(trimmed);
  if (!match) {
    throw new Error(`Invalid emulator address "${value}": expected HOST:PORT, e.g. 127.0.0.1:8123 (the value of CLOUD_TASKS_EMULATOR_HOST).`);
  }
  return { host: match[1].replace(/^\[|\]$/g, ''), port: Number(match[2]) };
}
