// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/function_flush.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { describe, expect, test } from "../../shim/bun-test.js";

import { FunctionFlushCommand } from "../../shim/commands.js";

describe("commands/function_flush.test.ts", () => {


describe("FUNCTION FLUSH", () => {
  test("builds correct command (no mode)", () => {
    const c = new FunctionFlushCommand();
    expect(c.command).toEqual(["function", "flush"]);
  });
});

});
