// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/ping.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { describe, expect, test } from "../../shim/bun-test.js";
import { newHttpClient, randomID } from "../../shim/test-utils.js";
import { PingCommand } from "../../shim/commands.js";

describe("commands/ping.test.ts", () => {


const client = newHttpClient();

describe("with message", () => {
  test("returns the message", async () => {
    const message = randomID();
    const res = await new PingCommand([message]).exec(client);
    expect(res).toEqual(message);
  });
});
describe("without message", () => {
  test("returns pong", async () => {
    const res = await new PingCommand([]).exec(client);
    expect(res).toEqual("PONG");
  });
});

});
