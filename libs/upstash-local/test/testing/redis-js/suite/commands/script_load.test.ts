// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/script_load.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { expect, test, describe } from "../../shim/bun-test.js";
import { newHttpClient } from "../../shim/test-utils.js";
import { ScriptLoadCommand } from "../../shim/commands.js";

describe("commands/script_load.test.ts", () => {


const client = newHttpClient();

test("returns the hash", async () => {
  const script = "return ARGV[1]";
  const res = await new ScriptLoadCommand([script]).exec(client);
  expect(res).toEqual("098e0f0d1448c0a81dafe820f66d460eb09263da");
});

});
