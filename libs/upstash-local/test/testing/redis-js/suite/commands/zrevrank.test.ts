// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/zrevrank.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { keygen, newHttpClient } from "../../shim/test-utils.js";
import { ZAddCommand } from "../../shim/commands.js";
import { ZRevRankCommand } from "../../shim/commands.js";

describe("commands/zrevrank.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("returns the rank", async () => {
  const key = newKey();

  await new ZAddCommand([
    key,
    { score: 1, member: "member1" },
    { score: 2, member: "member2" },
    { score: 3, member: "member3" },
  ]).exec(client);

  const res = await new ZRevRankCommand([key, "member2"]).exec(client);
  expect(res).toEqual(1);
});

});
