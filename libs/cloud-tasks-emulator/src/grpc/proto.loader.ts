import { loadPackageDefinition, type ServiceDefinition } from '@grpc/grpc-js';
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const SERVICE_PROTO = 'google/cloud/tasks/v2/cloudtasks.proto';

/** The directory holding `build/protos` above a package's resolved entry point. */
function protosDirOf(entry: string): string {
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'build', 'protos');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`No build/protos directory above ${entry}: is @google-cloud/tasks installed?`);
}

/** The CloudTasks service and every message it uses, as @grpc/proto-loader describes them. */
export interface CloudTasksProtos {
  service: ServiceDefinition;
  definition: PackageDefinition;
}

let cached: CloudTasksProtos | undefined;

/**
 * `google.cloud.tasks.v2.CloudTasks` loaded from the .proto files shipped in @google-cloud/tasks; the google/api,
 * google/rpc, google/iam and google/protobuf imports resolve from google-gax, which that package depends on.
 */
export function loadCloudTasksProtos(): CloudTasksProtos {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const tasksEntry = require.resolve('@google-cloud/tasks');
  const gaxEntry = createRequire(tasksEntry).resolve('google-gax');
  const definition = loadSync(SERVICE_PROTO, {
    includeDirs: [protosDirOf(tasksEntry), protosDirOf(gaxEntry)],
    keepCase: false,
    longs: Number,
    enums: String,
    defaults: false,
    oneofs: true,
  });
  const pkg = loadPackageDefinition(definition) as unknown as {
    google: { cloud: { tasks: { v2: { CloudTasks: { service: ServiceDefinition } } } } };
  };
  cached = { service: pkg.google.cloud.tasks.v2.CloudTasks.service, definition };
  return cached;
}
