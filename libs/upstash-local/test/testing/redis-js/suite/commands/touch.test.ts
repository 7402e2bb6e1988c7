// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/touch.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { MSetCommand } from "../../shim/commands.js";
import { TouchCommand } from "../../shim/commands.js";

describe("commands/touch.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("returns the number of touched keys", async () => {
  const key1 = newKey();
  const key2 = newKey();
  const kv: Record<string, string> = {};
  kv[key1] = randomID();
  kv[key2] = randomID();
  await new MSetCommand([kv]).exec(client);
  const res = await new TouchCommand([key1, key2]).exec(client);
  expect(res).toEqual(2);
});

});
