import { credentials } from '@grpc/grpc-js';
import { CloudTasksClient } from '@google-cloud/tasks';

/** Options for {@link createCloudTasksClient}. */
export interface CloudTasksClientFactoryOptions {
  /** `host:port` of an emulator: connect over an insecure channel and never look up Google credentials. */
  emulatorHost?: string;
  /** Passed through to the client when not on the emulator (credentials, keyFilename, apiEndpoint, …). */
  clientOptions?: ConstructorParameters<typeof CloudTasksClient>[0];
}

/**
 * Builds the one `CloudTasksClient` a module instance uses. With an emulator host, the gRPC channel is insecure and
 * google-gax skips its credential lookup (no metadata-server probe, no `MetadataLookupWarning`), the same convention
 * as `PUBSUB_EMULATOR_HOST`.
 */
export function createCloudTasksClient({ emulatorHost, clientOptions }: CloudTasksClientFactoryOptions = {}): CloudTasksClient {
  if (!emulatorHost) return new CloudTasksClient(clientOptions);
  const { host, port } = parseHostPort(emulatorHost);
  return new CloudTasksClient({
    servicePath: host,
    apiEndpoint: host,
    port,
    sslCreds: credentials.createInsecure(),
    // NOTE: a fixed projectId and universeDomain keep google-gax from asking google-auth-library for them, which would
    // look for Application Default Credentials and probe the GCE metadata server (MetadataLookupWarning).
    projectId: 'emulator',
    universeDomain: 'googleapis.com',
    fallback: false,
  });
}

/** Parses `host:port`, `[::1]:port` or `http://host:port`. */
export function parseHostPort(value: string): { host: string; port: number } {
  const trimmed = value.trim().replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
  const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(trimmed);
  if (!match) {
    throw new Error(`Invalid emulator host "${value}": expected HOST:PORT, e.g. 127.0.0.1:8123 (CLOUD_TASKS_EMULATOR_HOST).`);
  }
  return { host: match[1].replace(/^\[|\]$/g, ''), port: Number(match[2]) };
}
