// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/function_load.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { describe, expect, test } from "../../shim/bun-test.js";

import { FunctionLoadCommand } from "../../shim/commands.js";

describe("commands/function_load.test.ts", () => {


describe("FUNCTION LOAD", () => {
  test("builds correct command", () => {
    const code = "#!lua name=mylib\nredis.register_function('f', function() return 'ok' end)\n";

    const c1 = new FunctionLoadCommand([{ code }]);
    expect(c1.command).toEqual(["function", "load", code]);

    const c2 = new FunctionLoadCommand([{ code, replace: true }]);
    expect(c2.command).toEqual(["function", "load", "replace", code]);
  });
});

});
