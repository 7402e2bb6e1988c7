import { status } from '@grpc/grpc-js';
import { parseLocationName, parseQueueName, parseTaskName, shortId } from './resource-names.js';
import { RpcError } from './rpc.error.js';

const code = (fn: () => unknown): number | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e instanceof RpcError ? e.code : -1;
  }
};

describe('resource names', () => {
  it('accepts the documented queue name format, including domain-scoped projects', () => {
    expect(parseQueueName('projects/p-1/locations/us-central1/queues/q-1')).toEqual({
      name: 'projects/p-1/locations/us-central1/queues/q-1',
      parent: 'projects/p-1/locations/us-central1',
      queueId: 'q-1',
    });
    expect(parseQueueName('projects/example.com:app/locations/europe-west1/queues/Q').queueId).toBe('Q');
  });

  it.each([
    '',
    'projects/p/locations/l/queues/',
    'projects/p/locations/l/queues/bad_underscore',
    'projects/p/locations/l/queues/a/b',
    `projects/p/locations/l/queues/${'q'.repeat(101)}`,
    'locations/l/queues/q',
  ])('rejects queue name %j with INVALID_ARGUMENT', (name) => {
    expect(code(() => parseQueueName(name))).toBe(status.INVALID_ARGUMENT);
  });

  it('accepts task ids of letters, digits, hyphens and underscores up to 500 characters', () => {
    const parts = parseTaskName(`projects/p/locations/l/queues/q/tasks/${'a_B-9'.repeat(100)}`);
    expect(parts.queueName).toBe('projects/p/locations/l/queues/q');
    expect(parts.taskId).toHaveLength(500);
  });

  it.each(['not a valid id', 'dots.are.bad', 'a'.repeat(501), '', 'slash/inside'])('rejects task id %j', (id) => {
    expect(code(() => parseTaskName(`projects/p/locations/l/queues/q/tasks/${id}`))).toBe(status.INVALID_ARGUMENT);
  });

  it('names the bad task id in the message, like the service', () => {
    expect(() => parseTaskName('projects/p/locations/l/queues/q/tasks/not a valid id')).toThrow(
      'Task ID "not a valid id" can contain only letters',
    );
  });

  it('validates locations and extracts short ids', () => {
    expect(parseLocationName('projects/p/locations/l')).toBe('projects/p/locations/l');
    expect(code(() => parseLocationName('projects/p'))).toBe(status.INVALID_ARGUMENT);
    expect(shortId('projects/p/locations/l/queues/q/tasks/abc')).toBe('abc');
  });
});
