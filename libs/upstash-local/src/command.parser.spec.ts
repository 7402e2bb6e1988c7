import { describe, expect, it } from '@jest/globals';
import { commandFromPath, parseJsonBody, toCommand, toCommands, unsupportedReason } from './command.parser.js';
import { UpstashLocalHttpError } from './upstash-local.errors.js';

describe('command parsing', () => {
  it('stringifies arguments like Upstash: numbers, booleans, objects, null', () => {
    expect(toCommand(['set', 'k', 1.5, true, { a: 1 }, null, [1]])).toEqual({
      name: 'SET',
      argv: ['set', 'k', '1.5', 'true', '{"a":1}', 'null', '[1]'],
    });
  });

  it('answers 400 for bodies that are not commands', () => {
    for (const body of [{}, [], [1, 'x'], [''], 'GET']) {
      expect(() => toCommand(body)).toThrow(UpstashLocalHttpError);
    }
    expect(() => toCommands([])).toThrow(/non-empty JSON array of commands/);
    expect(() => toCommands([['GET', 'k'], 'x'])).toThrow(/command 2/);
    expect(() => parseJsonBody('[oops')).toThrow(/failed to parse JSON/);
  });

  it('builds path-form commands with a body argument and query pairs, skipping _token', () => {
    const query = new URLSearchParams('EX=100&_token=secret');
    expect(commandFromPath('/set/a%2Fb/v%20w', query, '').argv).toEqual(['set', 'a/b', 'v w', 'EX', '100']);
    expect(commandFromPath('/set/k/', new URLSearchParams(), 'body').argv).toEqual(['set', 'k', 'body']);
    expect(() => commandFromPath('/', new URLSearchParams(), '')).toThrow(/no command/);
  });

  it('refuses blocking and connection-scoped commands', () => {
    expect(unsupportedReason(toCommand(['subscribe', 'c']))).toMatch(/SUBSCRIBE is served as an event stream: POST \/subscribe\/<channel>/);
    expect(unsupportedReason(toCommand(['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$']))).toBeDefined();
    expect(unsupportedReason(toCommand(['XREAD', 'STREAMS', 's', '0']))).toBeUndefined();
    expect(unsupportedReason(toCommand(['GET', 'k']))).toBeUndefined();
  });
});
