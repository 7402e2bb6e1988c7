// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/zcard.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { keygen, newHttpClient } from "../../shim/test-utils.js";
import { ZAddCommand } from "../../shim/commands.js";
import { ZCardCommand } from "../../shim/commands.js";

describe("commands/zcard.test.ts", () => {


const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("returns the cardinality", async () => {
  const key = newKey();
  await new ZAddCommand([key, { score: 1, member: "member1" }]).exec(client);
  const res = await new ZCardCommand([key]).exec(client);
  expect(res).toEqual(1);
});

});
