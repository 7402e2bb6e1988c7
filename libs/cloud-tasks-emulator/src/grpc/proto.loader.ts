import { loadPackageDefinition, type ServiceDefinition } from '@grpc/grpc-js';
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The directory holding `build/protos` above a package's resolved entry point. */
function protosDirOf(entry: string, pkg: string): string {
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'build', 'protos');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`No build/protos directory above ${entry}: is ${pkg} installed?`);
}

/** A service and every message it uses, as @grpc/proto-loader describes them. */
export interface ServiceProtos {
  /** Full name, e.g. `google.cloud.tasks.v2.CloudTasks`. */
  serviceName: string;
  service: ServiceDefinition;
  definition: PackageDefinition;
}

const cache = new Map<string, ServiceProtos>();

/**
 * A Google API service loaded from the .proto files shipped in its client package (`build/protos`); the google/api,
 * google/rpc, google/iam and google/protobuf imports resolve from the google-gax that package depends on.
 */
function loadServiceProtos(pkg: string, protoFile: string, serviceName: string): ServiceProtos {
  const cached = cache.get(serviceName);
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const entry = require.resolve(pkg);
  const gaxEntry = createRequire(entry).resolve('google-gax');
  const definition = loadSync(protoFile, {
    includeDirs: [protosDirOf(entry, pkg), protosDirOf(gaxEntry, 'google-gax')],
    keepCase: false,
    longs: Number,
    enums: String,
    defaults: false,
    oneofs: true,
  });
  let node: unknown = loadPackageDefinition(definition);
  for (const part of serviceName.split('.')) node = (node as Record<string, unknown>)[part];
  const protos = { serviceName, service: (node as { service: ServiceDefinition }).service, definition };
  cache.set(serviceName, protos);
  return protos;
}

/** `google.cloud.tasks.v2.CloudTasks` from @google-cloud/tasks. */
export function loadCloudTasksProtos(): ServiceProtos {
  return loadServiceProtos('@google-cloud/tasks', 'google/cloud/tasks/v2/cloudtasks.proto', 'google.cloud.tasks.v2.CloudTasks');
}

/** `google.cloud.scheduler.v1.CloudScheduler` from @google-cloud/scheduler. */
export function loadCloudSchedulerProtos(): ServiceProtos {
  return loadServiceProtos('@google-cloud/scheduler', 'google/cloud/scheduler/v1/cloudscheduler.proto', 'google.cloud.scheduler.v1.CloudScheduler');
}
