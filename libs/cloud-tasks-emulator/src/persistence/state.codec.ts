import type { PolicyPb } from '../core/iam.policies.js';
import type { QueueRecord } from '../core/queue.record.js';
import type { TaskRecord } from '../core/task.record.js';
import type { JobPb } from '../grpc/scheduler-proto.types.js';
import type { PersistedPolicy, PersistedQueue, PersistedTask } from './state.types.js';

export function queueToPersisted(q: QueueRecord): PersistedQueue {
  return { name: q.name, settings: q.settings, state: q.state, purgeTime: q.purgeTime };
}

export function taskToPersisted(t: TaskRecord): PersistedTask {
  return {
    name: t.name,
    id: t.id,
    queue: t.queue.name,
    url: t.url,
    method: t.method,
    headers: t.headers,
    body: t.body?.toString('base64'),
    oidc: t.oidc,
    oauth: t.oauth,
    appEngine: t.appEngine,
    scheduleTime: t.scheduleTime,
    createTime: t.createTime,
    dispatchDeadlineMs: t.dispatchDeadlineMs,
    dispatchDeadlineSet: t.dispatchDeadlineSet,
    dispatchCount: t.dispatchCount,
    responseCount: t.responseCount,
    executionCount: t.executionCount,
    retryCount: t.retryCount,
    firstAttemptTime: t.firstAttemptTime,
    lastAttempt: t.lastAttempt,
    previousResponse: t.previousResponse,
    retryReason: t.retryReason,
  };
}

/** A task back in its queue; it is scheduled again at its schedule time (an attempt cut by the stop is made again). */
export function persistedToTask(p: PersistedTask, queue: QueueRecord): TaskRecord {
  return { ...p, queue, body: p.body === undefined ? undefined : Buffer.from(p.body, 'base64'), phase: 'scheduled', gen: 0, running: 0 };
}

export function policyToPersisted(p: PolicyPb): PersistedPolicy {
  return { version: p.version, bindings: p.bindings, auditConfigs: p.auditConfigs, etag: p.etag ? Buffer.from(p.etag).toString('base64') : undefined };
}

export function persistedToPolicy(p: PersistedPolicy): PolicyPb {
  return { ...p, bindings: p.bindings as PolicyPb['bindings'], etag: p.etag === undefined ? undefined : Buffer.from(p.etag, 'base64') };
}

/** A job's client fields, JSON-safe (the HTTP body as base64). */
export function jobSourceToJson(source: JobPb): Record<string, unknown> {
  const body = source.httpTarget?.body;
  if (!body) return source as Record<string, unknown>;
  return { ...source, httpTarget: { ...source.httpTarget, body: Buffer.from(body).toString('base64') } };
}

export function jsonToJobSource(json: Record<string, unknown>): JobPb {
  const source = json as JobPb & { httpTarget?: { body?: unknown } };
  const body = source.httpTarget?.body;
  if (typeof body !== 'string') return source;
  return { ...source, httpTarget: { ...source.httpTarget, body: Buffer.from(body, 'base64') } };
}
