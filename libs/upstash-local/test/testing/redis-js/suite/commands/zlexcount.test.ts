// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/zlexcount.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { keygen, newHttpClient } from "../../shim/test-utils.js";
import { ZAddCommand } from "../../shim/commands.js";
import { ZLexCountCommand } from "../../shim/commands.js";

describe("commands/zlexcount.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("returns the number of elements in the specified score range", async () => {
  const key = newKey();
  await new ZAddCommand([
    key,
    { score: 0, member: "a" },
    { score: 0, member: "b" },
    { score: 0, member: "c" },
    { score: 0, member: "d" },
    { score: 0, member: "e" },
  ]).exec(client);
  const res = await new ZLexCountCommand([key, "[b", "[f"]).exec(client);
  expect(res).toEqual(4);
});

});
