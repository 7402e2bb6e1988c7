// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/smembers.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { SAddCommand } from "../../shim/commands.js";
import { SMembersCommand } from "../../shim/commands.js";

describe("commands/smembers.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("returns all members of the set", async () => {
  const key = newKey();
  const value1 = { v: randomID() };
  const value2 = { v: randomID() };

  await new SAddCommand([key, value1, value2]).exec(client);
  const res = await new SMembersCommand<{ v: string }[]>([key]).exec(client);

  expect(res.length).toBe(2);
  expect(res.map(({ v }) => v).includes(value1.v));
  expect(res.map(({ v }) => v).includes(value2.v)).toBe(true);
});

});
