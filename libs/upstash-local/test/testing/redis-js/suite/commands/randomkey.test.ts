// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/randomkey.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { RandomKeyCommand } from "../../shim/commands.js";
import { SetCommand } from "../../shim/commands.js";

describe("commands/randomkey.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("returns a random key", async () => {
  const key = newKey();
  await new SetCommand([key, randomID()]).exec(client);
  const res = await new RandomKeyCommand().exec(client);
  expect(typeof res).toBe("string");
});

});
