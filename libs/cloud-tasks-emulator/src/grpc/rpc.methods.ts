import { status, type ServerUnaryCall, type UntypedServiceImplementation, type sendUnaryData } from '@grpc/grpc-js';
import { RpcError } from '../core/rpc.error.js';

/** One RPC over an engine: a request object in, a response object out (or a thrown RpcError). Shared by gRPC and REST. */
export type RpcMethod = (request: never) => unknown;

/** The RPCs of one service, by method name. */
export type RpcMethods = Record<string, RpcMethod>;

function unary(fn: RpcMethod) {
  return (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>): void => {
    let response: unknown;
    try {
      response = fn(call.request as never);
    } catch (error) {
      callback(toServiceError(error));
      return;
    }
    callback(null, response);
  };
}

function toServiceError(error: unknown): { code: status; details: string; message: string } {
  if (error instanceof RpcError) return { code: error.code, details: error.message, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: status.INTERNAL, details: `Emulator error: ${message}`, message };
}

/** gRPC handlers over the methods. */
export function grpcHandlers(methods: RpcMethods): UntypedServiceImplementation {
  return Object.fromEntries(Object.entries(methods).map(([name, fn]) => [name, unary(fn)]));
}
