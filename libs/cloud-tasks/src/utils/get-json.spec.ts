import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getJson } from './get-json.js';

describe('getJson', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/json') res.writeHead(200, { 'cache-control': 'max-age=60', 'content-type': 'application/json' }).end('{"a":1}');
      else if (req.url === '/text') res.writeHead(503).end('down');
      else if (req.url === '/big') res.writeHead(200).end('x'.repeat(2048));
      else if (req.url === '/accept') res.writeHead(200).end(JSON.stringify(req.headers.accept));
      // /stall: headers never come
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('answers the status, headers by name and the parsed body, asking for JSON', async () => {
    const response = await getJson(`${base}/json`, { timeoutMs: 1000 });
    expect(response.status).toBe(200);
    expect(response.header('Cache-Control')).toBe('max-age=60');
    expect(response.body).toEqual({ a: 1 });
    expect((await getJson(`${base}/accept`, { timeoutMs: 1000 })).body).toBe('application/json');
  });

  it('gives an undefined body for a text answer, with its status', async () => {
    await expect(getJson(`${base}/text`, { timeoutMs: 1000 })).resolves.toMatchObject({ status: 503, body: undefined });
  });

  it('refuses a body over maxBytes and a server that does not answer in time', async () => {
    await expect(getJson(`${base}/big`, { timeoutMs: 1000, maxBytes: 1024 })).rejects.toThrow('answered more than 1024 bytes');
    await expect(getJson(`${base}/stall`, { timeoutMs: 50 })).rejects.toThrow('timed out after 50 ms');
    await expect(getJson('http://127.0.0.1:1/x', { timeoutMs: 1000 })).rejects.toThrow(/ECONNREFUSED/);
  });
});
