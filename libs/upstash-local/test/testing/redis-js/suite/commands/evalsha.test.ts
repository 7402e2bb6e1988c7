// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/evalsha.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, describe, expect, test } from "../../shim/bun-test.js";
import { EvalshaCommand } from "../../shim/commands.js";
import { ScriptLoadCommand } from "../../shim/commands.js";

describe("commands/evalsha.test.ts", () => {


const client = newHttpClient();

const { cleanup } = keygen();
afterAll(cleanup);

describe("without keys", () => {
  test("returns something", async () => {
    const value = randomID();
    const sha1 = await new ScriptLoadCommand([`return {ARGV[1], "${value}"}`]).exec(client);
    const res = await new EvalshaCommand([sha1, [], [value]]).exec(client);
    expect(res).toEqual([value, value]);
  });
});

});
