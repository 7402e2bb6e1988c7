// @ts-nocheck
// Ported from upstash/redis-js 777dc305, packages/redis/pkg/commands/msetnx.test.ts (MIT, see LICENSE): imports rewritten by port.mjs.
import { keygen, newHttpClient, randomID } from "../../shim/test-utils.js";

import { afterAll, expect, test, describe } from "../../shim/bun-test.js";
import { GetCommand } from "../../shim/commands.js";
import { MGetCommand } from "../../shim/commands.js";
import { MSetNXCommand } from "../../shim/commands.js";
import { SetCommand } from "../../shim/commands.js";

describe("commands/msetnx.test.ts", () => {

const client = newHttpClient();

const { newKey, cleanup } = keygen();
afterAll(cleanup);

test("sets values", async () => {
  const key1 = newKey();
  const value1 = randomID();
  const key2 = newKey();
  const value2 = randomID();

  const kv: Record<string, string> = {};
  kv[key1] = value1;
  kv[key2] = value2;
  const res = await new MSetNXCommand([kv]).exec(client);

  expect(res).toEqual(1);
  const res2 = await new MGetCommand<[string, string]>([key1, key2]).exec(client);

  expect(res2).toEqual([value1, value2]);
});

test("does not set values if one key already exists", async () => {
  const key1 = newKey();
  const value1 = randomID();
  const key2 = newKey();
  const value2 = randomID();
  await new SetCommand([key1, value1]).exec(client);
  const kv: Record<string, string> = {};
  kv[key1] = value1;
  kv[key2] = value2;
  const res = await new MSetNXCommand([kv]).exec(client);

  expect(res).toEqual(0);

  const res2 = await new GetCommand([key2]).exec(client);

  expect(res2).toEqual(null);
});

});
