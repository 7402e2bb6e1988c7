// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/hkeys.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, describe, expect, test } from "../../shim/bun-test.js";
import { HKeysCommand } from "../../shim/commands.js";
import { HMSetCommand } from "../../shim/commands.js";

describe("commands/hkeys.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

describe("with existing hash", () => {
  test("returns all keys", async () => {
    const key = newKey();
    const kv = {
      [randomID()]: randomID(),
      [randomID()]: randomID(),
    };
    await new HMSetCommand([key, kv]).exec(client);
    const res = await new HKeysCommand([key]).exec(client);
    expect(res.sort()).toEqual(Object.keys(kv).sort());
  });
});

});
