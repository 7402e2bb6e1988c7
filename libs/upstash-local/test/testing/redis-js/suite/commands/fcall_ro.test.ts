// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/fcall_ro.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { describe, expect, test } from "../../shim/bun-test.js";

import { FCallRoCommand } from "../../shim/commands.js";

describe("commands/fcall_ro.test.ts", () => {


describe("FCALL_RO", () => {
  test("builds correct command", () => {
    const c = new FCallRoCommand<any>(["myfunc", ["k1"], ["a"]] as any);
    expect(c.command).toEqual(["fcall_ro", "myfunc", 1, "k1", "a"]);
  });
});

});
