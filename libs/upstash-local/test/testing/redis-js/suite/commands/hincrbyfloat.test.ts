// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/hincrbyfloat.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { HIncrByFloatCommand } from "../../shim/commands.js";
import { HSetCommand } from "../../shim/commands.js";

describe("commands/hincrbyfloat.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

describe("a", () => {
  test("increments a non-existing value", async () => {
    const key = newKey();
    const field = randomID();
    const res = await new HIncrByFloatCommand([key, field, 2.5]).exec(client);

    expect(res).toEqual(2.5);
  });

  test("increments and existing value", async () => {
    const key = newKey();
    const field = randomID();
    await new HSetCommand([key, { [field]: 5 }]).exec(client);
    const res = await new HIncrByFloatCommand([key, field, 2.5]).exec(client);

    expect(res).toEqual(7.5);
  });
});

});
