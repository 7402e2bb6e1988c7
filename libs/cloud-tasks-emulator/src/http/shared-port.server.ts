import net from 'node:net';

/** Where a connection goes once its first bytes are known. */
export interface SharedPortRoutes {
  /** Connections opening with the HTTP/2 preface (`PRI * HTTP/2.0…`): gRPC. */
  http2(socket: net.Socket): void;
  /** Everything else: HTTP/1.1. */
  http1(socket: net.Socket): void;
}

/** A TCP server that sniffs each connection and tracks the ones not yet handed over, so close() leaves nothing open. */
export interface SharedPortServer {
  readonly server: net.Server;
  /** Stops listening and destroys connections still being sniffed. */
  close(): Promise<void>;
}

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
// NOTE: no HTTP/1.x method starts with "PRI": three bytes tell the protocols apart.
const SNIFF_BYTES = 3;

/**
 * gRPC (HTTP/2 with prior knowledge) and HTTP/1.1 on one port: the first bytes of each connection are read, put back
 * with `unshift`, and the socket is handed to the matching server (Node's HTTP/2 session replays data already
 * buffered on the socket; the HTTP/1 server reads it on resume).
 */
export function createSharedPortServer(routes: SharedPortRoutes): SharedPortServer {
  const sniffing = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sniffing.add(socket);
    let head: Buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      const decided = head.length >= SNIFF_BYTES || !PREFACE.subarray(0, head.length).equals(head);
      if (!decided) return;
      socket.off('data', onData);
      socket.off('close', onClose);
      sniffing.delete(socket);
      socket.pause();
      socket.unshift(head);
      if (head.subarray(0, SNIFF_BYTES).equals(PREFACE.subarray(0, SNIFF_BYTES))) {
        routes.http2(socket);
      } else {
        routes.http1(socket);
        socket.resume();
      }
    };
    const onClose = (): void => {
      sniffing.delete(socket);
    };
    socket.on('data', onData);
    socket.on('close', onClose);
    socket.on('error', () => socket.destroy());
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sniffing) socket.destroy();
        sniffing.clear();
        if (!server.listening) return resolve();
        server.close(() => resolve());
      }),
  };
}
