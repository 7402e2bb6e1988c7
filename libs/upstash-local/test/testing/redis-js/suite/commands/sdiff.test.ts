// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/sdiff.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { SAddCommand } from "../../shim/commands.js";
import { SDiffCommand } from "../../shim/commands.js";

describe("commands/sdiff.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("returns the diff", async () => {
  const key1 = newKey();
  const member1 = randomID();
  const key2 = newKey();
  const member2 = randomID();
  await new SAddCommand([key1, member1]).exec(client);
  await new SAddCommand([key2, member2]).exec(client);
  const res = await new SDiffCommand([key1, key2]).exec(client);
  expect(res).toEqual([member1]);
});

});
