// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/zscan.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, describe, expect, test } from "../../shim/bun-test.js";
import { ZAddCommand } from "../../shim/commands.js";
import { ZScanCommand } from "../../shim/commands.js";

describe("commands/zscan.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

describe("without options", () => {
  test("returns cursor and members", async () => {
    const key = newKey();
    const value = randomID();
    await new ZAddCommand([key, { score: 0, member: value }]).exec(client);
    const res = await new ZScanCommand([key, 0]).exec(client);

    expect(res.length).toBe(2);
    expect(typeof res[0]).toBe("string");
    expect(res[1].length > 0).toBe(true);
  });
});

describe("with match", () => {
  test("returns cursor and members", async () => {
    const key = newKey();
    const value = randomID();
    await new ZAddCommand([key, { score: 0, member: value }]).exec(client);
    const res = await new ZScanCommand([key, "0", { match: value }]).exec(client);

    expect(res.length).toBe(2);
    expect(typeof res[0]).toBe("string");
    expect(res[1].length > 0).toBe(true);
  });
});

describe("with count", () => {
  test("returns cursor and members", async () => {
    const key = newKey();
    const value = randomID();
    await new ZAddCommand([key, { score: 0, member: value }]).exec(client);
    const res = await new ZScanCommand([key, "0", { count: 1 }]).exec(client);

    expect(res.length).toBe(2);

    expect(typeof res[0]).toBe("string");
    expect(res[1].length > 0).toBe(true);
  });
});

});
