// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/sunionstore.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { SAddCommand } from "../../shim/commands.js";

import { SMembersCommand } from "../../shim/commands.js";
import { SUnionStoreCommand } from "../../shim/commands.js";

describe("commands/sunionstore.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("writes the union to destination", async () => {
  const key1 = newKey();
  const key2 = newKey();
  const dest = newKey();

  const member1 = randomID();
  const member2 = randomID();

  await new SAddCommand([key1, member1]).exec(client);
  await new SAddCommand([key2, member2]).exec(client);
  const res = await new SUnionStoreCommand([dest, key1, key2]).exec(client);
  expect(res).toEqual(2);

  const res2 = await new SMembersCommand([dest]).exec(client);

  expect(res2).toBeTruthy();
  expect(res2.sort()).toEqual([member1, member2].sort());
});

});
