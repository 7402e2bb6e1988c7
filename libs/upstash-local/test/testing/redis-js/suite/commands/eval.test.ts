// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/eval.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { EvalCommand } from "../../shim/commands.js";

import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, describe, expect, test } from "../../shim/bun-test.js";
import { SetCommand } from "../../shim/commands.js";

describe("commands/eval.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

describe("without keys", () => {
  test("returns something", async () => {
    const value = randomID();
    const res = await new EvalCommand(["return ARGV[1]", [], [value]]).exec(client);
    expect(res).toEqual(value);
  });
});

describe("with keys", () => {
  test("returns something", async () => {
    const value = randomID();
    const key = newKey();
    await new SetCommand([key, value]).exec(client);
    const res = await new EvalCommand([`return redis.call("GET", KEYS[1])`, [key], []]).exec(
      client
    );
    expect(res).toEqual(value);
  });
});

});
