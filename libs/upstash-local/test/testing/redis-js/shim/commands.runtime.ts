import { commandClassOf } from './internals.js';

/**
 * The client's command class `className` (`SetCommand`…) for the ported tests: `new SetCommand(args, opts)` builds
 * the client's own SetCommand, so `command`, `deserialize` and `exec(client)` are the client's code.
 */
export function commandClass(className: string): new (...args: unknown[]) => unknown {
  return function (...ctorArgs: unknown[]) {
    const Real = commandClassOf(className, ctorArgs);
    return new Real(...ctorArgs);
  } as unknown as new (...args: unknown[]) => unknown;
}
