// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/zdiffstore.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { keygen, newHttpClient } from "../../shim/test-utils.js";
import { ZRangeCommand } from "../../shim/commands.js";

import { ZAddCommand } from "../../shim/commands.js";
import { ZDiffStoreCommand } from "../../shim/commands.js";

describe("commands/zdiffstore.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("stors the diff", async () => {
  const key1 = newKey();
  const key2 = newKey();
  const out = newKey();

  await new ZAddCommand([
    key1,
    { score: 1, member: "one" },
    {
      score: 2,
      member: "two",
    },
    { score: 3, member: "three" },
  ]).exec(client);
  await new ZAddCommand([
    key2,
    { score: 1, member: "one" },
    {
      score: 2,
      member: "two",
    },
  ]).exec(client);
  const res = await new ZDiffStoreCommand([out, 2, key1, key2]).exec(client);

  expect(res).toEqual(1);

  const zset3 = await new ZRangeCommand([out, 0, -1, { withScores: true }]).exec(client);
  expect(zset3[0]).toBe("three");
  expect(zset3[1]).toBe(3);
});

});
