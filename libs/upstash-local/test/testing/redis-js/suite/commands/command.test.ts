// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/command.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";
import { Command } from "../../shim/commands.js";

import { afterAll, describe, expect, test } from "../../shim/bun-test.js";

describe("commands/command.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

describe("deserialize large numbers", () => {
  test("returns the correct number", async () => {
    const key = newKey();
    const field = randomID();
    const value = "101600000000150081467";

    await new Command(["hset", key, field, value]).exec(client);

    const res = await new Command(["hget", key, field]).exec(client);
    expect(res).toEqual(value);
  });
});

});
