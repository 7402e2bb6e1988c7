import { status } from '@grpc/grpc-js';
import type { CloudTasksClient } from '@google-cloud/tasks';
import { startEmulator, type CloudTasksEmulator } from '../src/index.js';
import { clientFor, grpcCode, PARENT, queuePath } from './testing/e2e-support.js';

const later = (name?: string) => ({ name, scheduleTime: { seconds: Math.floor(Date.now() / 1000) + 3600 }, httpRequest: { url: 'http://127.0.0.1:9/x' } });

describe('test-friendly resets', () => {
  let emu: CloudTasksEmulator;
  let client: CloudTasksClient;

  afterEach(async () => {
    await client.close();
    await emu.close();
  });

  it('reset() deletes tasks, frees their names and the attempt log, and keeps the queues when asked', async () => {
    emu = await startEmulator({ keyFile: false, queues: { projectId: 'emu-project', location: 'europe-west1', queues: ['kept'] } });
    client = clientFor(emu);
    const parent = queuePath('kept');
    const name = `${parent}/tasks/again`;
    await client.createTask({ parent, task: later(name) });
    const waiting = emu.waitForTask(name);
    expect(await grpcCode(client.createTask({ parent, task: later(name) }))).toBe(status.ALREADY_EXISTS);

    const res = await fetch(`${emu.url}/reset?keepQueues=true`, { method: 'POST' });
    expect(await res.json()).toEqual({ reset: true, keepQueues: true, keepJobs: false });
    expect((await waiting).outcome).toBe('deleted');
    expect((await client.listTasks({ parent }))[0]).toEqual([]);
    expect(await grpcCode(client.createTask({ parent, task: later(name) }))).toBe('ok');

    emu.reset();
    expect(await grpcCode(client.getQueue({ name: parent }))).toBe(status.NOT_FOUND);
    expect(await grpcCode(client.createQueue({ parent: PARENT, queue: { name: parent } }))).toBe('ok');
  });

  it('purgeFreesTaskNames frees the purged ids only; other finished ids stay refused', async () => {
    emu = await startEmulator({ keyFile: false, purgeFreesTaskNames: true });
    client = clientFor(emu);
    const [a] = await client.createQueue({ parent: PARENT, queue: { name: queuePath('purged') } });
    const [b] = await client.createQueue({ parent: PARENT, queue: { name: queuePath('untouched') } });
    await client.createTask({ parent: a.name, task: later(`${a.name}/tasks/t`) });
    await client.createTask({ parent: b.name, task: later(`${b.name}/tasks/t`) });
    await client.deleteTask({ name: `${b.name}/tasks/t` });
    await client.purgeQueue({ name: a.name });
    expect(await grpcCode(client.createTask({ parent: a.name, task: later(`${a.name}/tasks/t`) }))).toBe('ok');
    expect(await grpcCode(client.createTask({ parent: b.name, task: later(`${b.name}/tasks/t`) }))).toBe(status.ALREADY_EXISTS);
  });

  it("without it, a purged task's id stays refused as the service does", async () => {
    emu = await startEmulator({ keyFile: false });
    client = clientFor(emu);
    const [q] = await client.createQueue({ parent: PARENT, queue: { name: queuePath('strict') } });
    await client.createTask({ parent: q.name, task: later(`${q.name}/tasks/t`) });
    await client.purgeQueue({ name: q.name });
    expect(await grpcCode(client.createTask({ parent: q.name, task: later(`${q.name}/tasks/t`) }))).toBe(status.ALREADY_EXISTS);
  });
});
