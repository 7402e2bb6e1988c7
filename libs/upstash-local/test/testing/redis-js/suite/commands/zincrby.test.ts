// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/zincrby.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";
import { ZIncrByCommand } from "../../shim/commands.js";

import { ZAddCommand } from "../../shim/commands.js";

describe("commands/zincrby.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);
test("increments and existing value", async () => {
  const key = newKey();
  const score = 1;
  const member = randomID();
  await new ZAddCommand([key, { score, member }]).exec(client);
  const res = await new ZIncrByCommand([key, 2, member]).exec(client);

  expect(res).toEqual(3);
});

});
