// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/mset.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { MGetCommand } from "../../shim/commands.js";
import { MSetCommand } from "../../shim/commands.js";

describe("commands/mset.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("gets exiting values", async () => {
  const key1 = newKey();
  const key2 = newKey();
  const kv = {
    [key1]: randomID(),
    [key2]: randomID(),
  };
  const res = await new MSetCommand([kv]).exec(client);

  expect(res).toEqual("OK");
  const res2 = await new MGetCommand([key1, key2]).exec(client);
  expect(res2).toEqual(Object.values(kv));
});

});
