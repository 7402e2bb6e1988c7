// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/fcall.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { describe, expect, test } from "../../shim/bun-test.js";

import { FCallCommand } from "../../shim/commands.js";

describe("commands/fcall.test.ts", () => {


describe("FCALL", () => {
  test("builds correct command", () => {
    const c = new FCallCommand(["myfunc", ["k1", "k2"], ["a"]]);
    expect(c.command).toEqual(["fcall", "myfunc", 2, "k1", "k2", "a"]);
  });
});

});
