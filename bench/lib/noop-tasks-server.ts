import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const CLOUDTASKS_PROTO = 'google/cloud/tasks/v2/cloudtasks.proto';

/** The directories holding the Cloud Tasks protos (`@google-cloud/tasks`) and the google/api + iam ones (`google-gax`). */
export function protoIncludeDirs(): string[] {
  return [findUp(require.resolve('@google-cloud/tasks'), join('protos', CLOUDTASKS_PROTO)), findUp(require.resolve('google-gax'), join('protos', 'google', 'api', 'annotations.proto'))];
}

function findUp(from: string, relative: string): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, relative))) return join(dir, 'protos');
    if (dirname(dir) === dir) throw new Error(`Could not find ${relative} above ${from}`);
  }
}

/** A running no-op server. */
export interface NoopTasksServer {
  /** `127.0.0.1:PORT`, to give as `emulatorHost`. */
  address: string;
  /** CreateTask calls answered. */
  created(): number;
  close(): Promise<void>;
}

/**
 * A gRPC `google.cloud.tasks.v2.CloudTasks` server whose CreateTask answers with the task it was given and does
 * nothing else: the ceiling the real client can reach on this machine, against which the emulator is measured.
 * The other methods answer UNIMPLEMENTED.
 */
export async function startNoopTasksServer(): Promise<NoopTasksServer> {
  const definition = protoLoader.loadSync(CLOUDTASKS_PROTO, { includeDirs: protoIncludeDirs(), keepCase: false, longs: String, enums: String, defaults: false, oneofs: true });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    google: { cloud: { tasks: { v2: { CloudTasks: grpc.ServiceClientConstructor } } } };
  };
  let created = 0;
  const server = new grpc.Server();
  server.addService(loaded.google.cloud.tasks.v2.CloudTasks.service, {
    CreateTask: (call: grpc.ServerUnaryCall<{ task?: object }, object>, callback: grpc.sendUnaryData<object>) => {
      created++;
      callback(null, call.request.task ?? {});
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return {
    address: `127.0.0.1:${port}`,
    created: () => created,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
