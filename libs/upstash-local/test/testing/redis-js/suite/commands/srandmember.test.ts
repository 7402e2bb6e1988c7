// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/srandmember.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { SAddCommand } from "../../shim/commands.js";
import { SRandMemberCommand } from "../../shim/commands.js";

describe("commands/srandmember.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

describe("without opts", () => {
  test("returns a random key", async () => {
    const key = newKey();
    const member = randomID();
    await new SAddCommand([key, member]).exec(client);
    const res = await new SRandMemberCommand([key]).exec(client);
    expect(res).toEqual(member);
  });
});

describe("with count", () => {
  test("returns a random key", async () => {
    const key = newKey();
    const member1 = randomID();
    const member2 = randomID();
    await new SAddCommand([key, member1, member2]).exec(client);
    const res = await new SRandMemberCommand<unknown[]>([key, 2]).exec(client);
    expect(res?.length).toBe(2);
  });
});

});
