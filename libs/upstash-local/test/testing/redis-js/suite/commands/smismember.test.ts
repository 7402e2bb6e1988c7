// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/smismember.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { SAddCommand } from "../../shim/commands.js";
import { SMIsMemberCommand } from "../../shim/commands.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";

describe("commands/smismember.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

describe("when member exists", () => {
  test("returns 1", async () => {
    const key = newKey();
    const value1 = randomID();
    const value2 = randomID();
    await new SAddCommand([key, value1]).exec(client);
    await new SAddCommand([key, value2]).exec(client);
    const res = await new SMIsMemberCommand([key, [value1, randomID()]]).exec(client);
    expect(res).toEqual([1, 0]);
  });
});

});
