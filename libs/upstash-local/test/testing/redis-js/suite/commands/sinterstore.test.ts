// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/sinterstore.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { SAddCommand } from "../../shim/commands.js";
import { SInterStoreCommand } from "../../shim/commands.js";

describe("commands/sinterstore.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("stores the intersection", async () => {
  const key1 = newKey();
  const member1 = randomID();
  const key2 = newKey();
  const member2 = member1;
  const destination = newKey();
  await new SAddCommand([key1, member1]).exec(client);
  await new SAddCommand([key2, member2]).exec(client);
  const res = await new SInterStoreCommand([destination, key1, key2]).exec(client);
  expect(res).toEqual(1);
});

});
