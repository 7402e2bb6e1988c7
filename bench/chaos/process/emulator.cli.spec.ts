import { describe, expect, it } from '@jest/globals';
import { parseEmulatorReadyLine } from './emulator.cli.js';

describe('parseEmulatorReadyLine', () => {
  it('reads the gRPC address and the HTTP base URL', () => {
    expect(parseEmulatorReadyLine('cloud-tasks-emulator listening grpc=127.0.0.1:4100 http=127.0.0.1:4200')).toEqual({ grpc: '127.0.0.1:4100', http: 'http://127.0.0.1:4200' });
  });

  it('gives a single address to both when gRPC and HTTP share a port', () => {
    expect(parseEmulatorReadyLine('cloud-tasks-emulator listening grpc=127.0.0.1:4100')).toEqual({ grpc: '127.0.0.1:4100', http: 'http://127.0.0.1:4100' });
    expect(parseEmulatorReadyLine('cloud-tasks-emulator listening url=http://127.0.0.1:4300')).toEqual({ grpc: '127.0.0.1:4300', http: 'http://127.0.0.1:4300' });
    expect(parseEmulatorReadyLine('cloud-tasks-emulator listening 127.0.0.1:4400 (grpc+http)')).toEqual({ grpc: '127.0.0.1:4400', http: 'http://127.0.0.1:4400' });
  });

  it('ignores other lines', () => {
    expect(parseEmulatorReadyLine('attempt q/t #1 retry=0 → 200 (1.0 ms)')).toBeUndefined();
  });
});
