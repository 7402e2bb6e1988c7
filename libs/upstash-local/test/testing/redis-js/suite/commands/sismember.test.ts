// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/sismember.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { SAddCommand } from "../../shim/commands.js";
import { SIsMemberCommand } from "../../shim/commands.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";

describe("commands/sismember.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

describe("when member exists", () => {
  test("returns 1", async () => {
    const key = newKey();
    const value = randomID();
    await new SAddCommand([key, value]).exec(client);
    const res = await new SIsMemberCommand([key, value]).exec(client);
    expect(res).toEqual(1);
  });
});

describe("when member exists", () => {
  test("returns 0", async () => {
    const key = newKey();
    const value1 = randomID();
    const value2 = randomID();
    await new SAddCommand([key, value1]).exec(client);
    const res = await new SIsMemberCommand([key, value2]).exec(client);
    expect(res).toEqual(0);
  });
});

});
