// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/hmset.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { HMGetCommand } from "../../shim/commands.js";
import { HMSetCommand } from "../../shim/commands.js";

describe("commands/hmset.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);
test("gets exiting values", async () => {
  const key = newKey();
  const kv = {
    [randomID()]: randomID(),
    [randomID()]: randomID(),
  };
  const res = await new HMSetCommand([key, kv]).exec(client);

  expect(res).toEqual("OK");
  const res2 = await new HMGetCommand([key, ...Object.keys(kv)]).exec(client);

  expect(res2).toEqual(kv);
});

});
