import { Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type net from 'node:net';
import { createSharedPortServer } from './shared-port.server.js';

export interface EmulatorServersOptions {
  host: string;
  /** The one port for gRPC and HTTP/1.1 (`0` = any free port). */
  port: number;
  /** An extra port serving the HTTP/1.1 side only (`undefined` = none). */
  httpPort?: number;
  /** The gRPC services served on the port. */
  services: readonly { service: ServiceDefinition; handlers: UntypedServiceImplementation }[];
  http: http.RequestListener;
}

/** The listening servers of an emulator. */
export interface EmulatorServers {
  port: number;
  /** The extra HTTP port, when one was asked for. */
  httpPort?: number;
  /** Closes every server and connection at once (in-flight calls are cut): a restart on the same port can follow. */
  close(): Promise<void>;
}

/**
 * gRPC and HTTP/1.1 on one port (the connection's first bytes decide, see {@link createSharedPortServer}), plus the
 * optional extra HTTP port serving the same HTTP handler.
 */
export async function startEmulatorServers(options: EmulatorServersOptions): Promise<EmulatorServers> {
  const grpc = new Server();
  for (const { service, handlers } of options.services) grpc.addService(service, handlers);
  const injector = grpc.createConnectionInjector(ServerCredentials.createInsecure());
  const httpServer = http.createServer(options.http);
  // NOTE: an http.Server tracks only connections it accepted itself; the ones handed over are tracked here.
  const handedOver = new Set<Socket>();
  const shared = createSharedPortServer({
    http2: (socket) => injector.injectConnection(socket),
    http1: (socket) => {
      handedOver.add(socket);
      socket.once('close', () => handedOver.delete(socket));
      httpServer.emit('connection', socket);
    },
  });
  const close = async (): Promise<void> => {
    grpc.forceShutdown();
    for (const socket of handedOver) socket.destroy();
    handedOver.clear();
    httpServer.closeAllConnections();
    await Promise.all([
      shared.close(),
      httpServer.listening ? new Promise<void>((resolve) => httpServer.close(() => resolve())) : undefined,
    ]);
  };
  try {
    const port = await listen(shared.server, options.host, options.port);
    const httpPort = options.httpPort === undefined ? undefined : await listen(httpServer, options.host, options.httpPort);
    return { port, httpPort, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function listen(server: net.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
