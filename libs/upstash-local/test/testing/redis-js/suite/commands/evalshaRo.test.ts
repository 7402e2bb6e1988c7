// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/evalshaRo.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, describe, expect, test, flatDescribe } from "../../shim/bun-test.js";
import { EvalshaROCommand } from "../../shim/commands.js";
import { ScriptLoadCommand } from "../../shim/commands.js";
import { SetCommand } from "../../shim/commands.js";

flatDescribe("commands/evalshaRo.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

flatDescribe("without keys", () => {
  test.skip("returns something", async () => {
    const value = randomID();
    const sha1 = await new ScriptLoadCommand([`return {ARGV[1], "${value}"}`]).exec(client);
    // sleep 1s so command replicates
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const res = await new EvalshaROCommand([sha1, [], [value]]).exec(client);
    expect(res).toEqual([value, value]);
  });
});

flatDescribe("with keys", () => {
  test.concurrent("returns something", async () => {
    const value = randomID();
    const key = newKey();
    await new SetCommand([key, value]).exec(client);
    const sha1 = await new ScriptLoadCommand([`return redis.call("GET", KEYS[1])`]).exec(client);
    // sleep 1s so the script replicates to read replicas before EVALSHA_RO runs
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const res = await new EvalshaROCommand([sha1, [key], []]).exec(client);
    expect(res).toEqual(value);
  });
});

flatDescribe("with keys and write commands", () => {
  test.concurrent("throws", async () => {
    const value = randomID();
    const key = newKey();
    await new SetCommand([key, value]).exec(client);
    const sha1 = await new ScriptLoadCommand([`return redis.call("DEL", KEYS[1])`]).exec(client);
    expect(async () => {
      await new EvalshaROCommand([sha1, [key], []]).exec(client);
    }).toThrow();
  });
});

});
