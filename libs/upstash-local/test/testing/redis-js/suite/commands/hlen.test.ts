// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/hlen.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { HLenCommand } from "../../shim/commands.js";
import { HMSetCommand } from "../../shim/commands.js";

describe("commands/hlen.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

describe("with existing hash", () => {
  test("returns correct number of keys", async () => {
    const key = newKey();
    const field1 = randomID();
    const field2 = randomID();

    const kv: Record<string, string> = {};
    kv[field1] = randomID();
    kv[field2] = randomID();
    await new HMSetCommand([key, kv]).exec(client);
    const res = await new HLenCommand([key]).exec(client);
    expect(res).toEqual(2);
  });
});

});
