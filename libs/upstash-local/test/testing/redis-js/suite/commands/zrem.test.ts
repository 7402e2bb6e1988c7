// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/zrem.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { ZAddCommand } from "../../shim/commands.js";
import { ZRemCommand } from "../../shim/commands.js";

describe("commands/zrem.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("returns the number of removed members", async () => {
  const key = newKey();
  const member1 = randomID();
  const member2 = randomID();
  await new ZAddCommand([key, { score: 1, member: member1 }, { score: 2, member: member2 }]).exec(
    client
  );
  const res = await new ZRemCommand([key, member1, member2]).exec(client);
  expect(res).toEqual(2);
});

});
