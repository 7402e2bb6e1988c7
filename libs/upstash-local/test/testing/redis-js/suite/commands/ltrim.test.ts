// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/ltrim.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { LPushCommand } from "../../shim/commands.js";
import { LTrimCommand } from "../../shim/commands.js";

describe("commands/ltrim.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

describe("when the list exists", () => {
  test("returns ok", async () => {
    const key = newKey();
    await new LPushCommand([key, randomID()]).exec(client);
    await new LPushCommand([key, randomID()]).exec(client);
    await new LPushCommand([key, randomID()]).exec(client);
    const res = await new LTrimCommand([key, 1, 2]).exec(client);
    expect(res).toEqual("OK");
  });
});

describe("when the list does not exist", () => {
  test("returns ok", async () => {
    const key = newKey();

    const res = await new LTrimCommand([key, 1, 2]).exec(client);
    expect(res).toEqual("OK");
  });
});

});
