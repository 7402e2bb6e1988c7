import type { PolicyPb } from '../core/iam.policies.js';
import type { TaskEngine } from '../core/task.engine.js';
import { MAX_QUEUES_PAGE_SIZE, MAX_TASKS_PAGE_SIZE } from '../emulator.constants.js';
import { paginate } from './pagination.js';
import { queueToPb, taskToPb } from './proto.mapper.js';
import type { FieldMaskPb, QueuePb, TaskPb, TaskViewPb } from './proto.types.js';
import { queueFilter } from './queue.filter.js';
import type { RpcMethods } from './rpc.methods.js';

interface NameRequest {
  name?: string;
}

interface ListRequest {
  parent?: string;
  filter?: string;
  pageSize?: number;
  pageToken?: string;
  responseView?: TaskViewPb;
}

/** The RPCs of `google.cloud.tasks.v2.CloudTasks` as plain functions, shared by the gRPC and REST transports. */
export function cloudTasksMethods(engine: TaskEngine): RpcMethods {
  return {
    ListQueues: (req: ListRequest) => {
      const matches = queueFilter(req.filter);
      const queues = engine.listQueues(req.parent ?? '').filter(matches);
      const { page, nextPageToken } = paginate(queues, (q) => q.name, req.pageSize, req.pageToken, MAX_QUEUES_PAGE_SIZE);
      return { queues: page.map(queueToPb), nextPageToken };
    },
    GetQueue: (req: NameRequest) => queueToPb(engine.getQueue(req.name ?? '')),
    CreateQueue: (req: { parent?: string; queue?: QueuePb }) => queueToPb(engine.createQueue(req.parent ?? '', req.queue)),
    UpdateQueue: (req: { queue?: QueuePb; updateMask?: FieldMaskPb }) => queueToPb(engine.updateQueue(req.queue, req.updateMask?.paths ?? undefined)),
    DeleteQueue: (req: NameRequest) => {
      engine.deleteQueue(req.name ?? '');
      return {};
    },
    PurgeQueue: (req: NameRequest) => queueToPb(engine.purgeQueue(req.name ?? '')),
    PauseQueue: (req: NameRequest) => queueToPb(engine.pauseQueue(req.name ?? '')),
    ResumeQueue: (req: NameRequest) => queueToPb(engine.resumeQueue(req.name ?? '')),
    GetIamPolicy: (req: { resource?: string }) => engine.iam.get(engine.getQueue(req.resource ?? '', notFoundMessage).name),
    SetIamPolicy: (req: { resource?: string; policy?: PolicyPb }) => engine.iam.set(engine.getQueue(req.resource ?? '', notFoundMessage).name, req.policy),
    // NOTE: the caller has every permission: all queue permissions asked about are granted.
    TestIamPermissions: (req: { resource?: string; permissions?: string[] }) => {
      engine.getQueue(req.resource ?? '', notFoundMessage);
      return { permissions: (req.permissions ?? []).filter((p) => p.startsWith('cloudtasks.')) };
    },
    ListTasks: (req: ListRequest) => {
      const tasks = engine.listTasks(req.parent ?? '');
      const { page, nextPageToken } = paginate(tasks, (t) => t.name, req.pageSize, req.pageToken, MAX_TASKS_PAGE_SIZE);
      return { tasks: page.map((t) => taskToPb(t, req.responseView)), nextPageToken };
    },
    GetTask: (req: NameRequest & { responseView?: TaskViewPb }) => taskToPb(engine.getTask(req.name ?? ''), req.responseView),
    CreateTask: (req: { parent?: string; task?: TaskPb; responseView?: TaskViewPb }) =>
      taskToPb(engine.createTask(req.parent ?? '', req.task), req.responseView),
    DeleteTask: (req: NameRequest) => {
      engine.deleteTask(req.name ?? '');
      return {};
    },
    RunTask: (req: NameRequest & { responseView?: TaskViewPb }) => taskToPb(engine.runTask(req.name ?? ''), req.responseView),
  };
}

const notFoundMessage = 'Requested entity was not found.';
