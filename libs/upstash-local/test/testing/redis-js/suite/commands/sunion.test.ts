// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/sunion.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { SAddCommand } from "../../shim/commands.js";
import { SUnionCommand } from "../../shim/commands.js";

describe("commands/sunion.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("returns the union", async () => {
  const key1 = newKey();
  const key2 = newKey();

  const member1 = randomID();
  const member2 = randomID();

  await new SAddCommand([key1, member1]).exec(client);
  await new SAddCommand([key2, member2]).exec(client);
  const res = await new SUnionCommand([key1, key2]).exec(client);
  expect(res.sort()).toEqual([member1, member2].sort());
});

});
