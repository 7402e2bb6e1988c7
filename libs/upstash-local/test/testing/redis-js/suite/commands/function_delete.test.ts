// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/function_delete.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { describe, expect, test } from "../../shim/bun-test.js";

import { FunctionDeleteCommand } from "../../shim/commands.js";

describe("commands/function_delete.test.ts", () => {


describe("FUNCTION DELETE", () => {
  test("builds correct command", () => {
    const c = new FunctionDeleteCommand(["mylib"]);
    expect(c.command).toEqual(["function", "delete", "mylib"]);
  });
});

});
