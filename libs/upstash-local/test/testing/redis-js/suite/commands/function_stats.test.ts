// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/function_stats.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { describe, expect, test } from "../../shim/bun-test.js";

import { FunctionStatsCommand } from "../../shim/commands.js";

describe("commands/function_stats.test.ts", () => {


describe("FUNCTION STATS", () => {
  test("builds correct command", () => {
    const c = new FunctionStatsCommand();
    expect(c.command).toEqual(["function", "stats"]);
  });

  test("deserializes engines only (camelCase keys)", () => {
    const cmd = new FunctionStatsCommand();
    const raw = [
      "running_script",
      null,
      "engines",
      [
        "LUA",
        ["libraries_count", 1, "functions_count", 2],
        "JS",
        ["libraries_count", 0, "functions_count", 0],
      ],
    ];

    const stats = cmd.deserialize(raw);
    expect(stats).toEqual({
      engines: {
        LUA: { librariesCount: 1, functionsCount: 2 },
        JS: { librariesCount: 0, functionsCount: 0 },
      },
    });
  });
});

});
