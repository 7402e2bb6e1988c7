import { randomUUID } from 'node:crypto';
import {
  DEFAULT_DISPATCH_DEADLINE_MS,
  MAX_DISPATCH_DEADLINE_MS,
  MAX_SCHEDULE_AHEAD_MS,
  MIN_DISPATCH_DEADLINE_MS,
  USER_AGENT,
} from '../emulator.constants.js';
import type { TaskPb } from '../grpc/proto.types.js';
import type { VirtualClock } from '../time/virtual.clock.js';
import { durationToMs, timestampToMs } from './durations.js';
import type { QueueRecord } from './queue.record.js';
import { parseTaskName } from './resource-names.js';
import { Messages, invalidArgument, unimplemented } from './rpc.error.js';
import type { TaskRecord } from './task.record.js';

export interface TaskFactoryOptions {
  clock: VirtualClock;
  /** Largest task accepted: body + header names and values + url, in bytes. */
  maxTaskBytes: number;
  newTaskId?: () => string;
}

const MAX_URL_LENGTH = 2083;
const MAX_HEADERS_BYTES = 80 * 1024;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** A random, hash-like id (never sequential: Cloud Tasks shards on the id). */
export const randomTaskId = (): string => randomUUID().replaceAll('-', '');

/**
 * Validates a CreateTask request the way the service does and builds the task to store. Work per task is kept to
 * a few string checks: this is the hot path of every enqueue.
 */
export function buildTask(queue: QueueRecord, pb: TaskPb | null | undefined, opts: TaskFactoryOptions): TaskRecord {
  if (!pb) throw invalidArgument('Task is required.');
  let name: string;
  let id: string;
  if (pb.name) {
    const parts = parseTaskName(pb.name);
    if (parts.queueName !== queue.name) throw invalidArgument(Messages.queueMismatch(queue.name, parts.queueName));
    name = pb.name;
    id = parts.taskId;
  } else {
    id = (opts.newTaskId ?? randomTaskId)();
    name = `${queue.name}/tasks/${id}`;
  }

  const http = pb.httpRequest;
  if (!http) {
    if (pb.appEngineHttpRequest) {
      throw unimplemented('App Engine tasks (app_engine_http_request) are not supported by the emulator: use http_request.');
    }
    throw invalidArgument('Task.http_request is required: the emulator dispatches HTTP target tasks only.');
  }
  const url = http.url ?? '';
  if (!url) throw invalidArgument('HttpRequest.url is required.');
  if (!url.startsWith('http://') && !url.startsWith('https://')) {
    throw invalidArgument("HttpTarget.url must start with 'http://' or 'https://'.");
  }
  if (url.length > MAX_URL_LENGTH) throw invalidArgument(`HttpRequest.url must be at most ${MAX_URL_LENGTH} characters.`);
  const method = !http.httpMethod || http.httpMethod === 'HTTP_METHOD_UNSPECIFIED' ? 'POST' : http.httpMethod;
  const body = http.body && http.body.length > 0 ? toBuffer(http.body) : undefined;
  if (body && !BODY_METHODS.has(method)) {
    throw invalidArgument(`HttpRequest.body can only be set for POST, PUT or PATCH requests, not ${method}.`);
  }

  const oidc = http.oidcToken;
  if (oidc && !oidc.serviceAccountEmail) throw invalidArgument('OidcToken.service_account_email is required.');
  const oauth = http.oauthToken;
  if (oauth && !oauth.serviceAccountEmail) throw invalidArgument('OAuthToken.service_account_email is required.');

  const headers: Record<string, string> = {};
  let headerBytes = 0;
  if (http.headers) {
    for (const key in http.headers) {
      const value = http.headers[key];
      headerBytes += Buffer.byteLength(key) + Buffer.byteLength(value);
      if (isReplacedHeader(key, oidc != null || oauth != null)) continue;
      headers[key] = value;
    }
  }
  // NOTE: the service stores the User-Agent it will send, so it shows up in GetTask (recorded behaviour).
  headers['User-Agent'] = USER_AGENT;
  if (headerBytes > MAX_HEADERS_BYTES) throw invalidArgument(`HttpRequest.headers must be smaller than 80KB (got ${headerBytes} bytes).`);
  const size = (body?.length ?? 0) + headerBytes + Buffer.byteLength(url);
  if (size > opts.maxTaskBytes) {
    throw invalidArgument(`Task size too large: ${size} bytes (body, headers and url); the maximum task size is ${opts.maxTaskBytes} bytes.`);
  }

  let dispatchDeadlineMs = DEFAULT_DISPATCH_DEADLINE_MS;
  const deadline = durationToMs(pb.dispatchDeadline);
  const dispatchDeadlineSet = deadline !== undefined && deadline !== 0;
  if (dispatchDeadlineSet) {
    if (deadline < MIN_DISPATCH_DEADLINE_MS || deadline > MAX_DISPATCH_DEADLINE_MS) {
      throw invalidArgument(`Task.dispatch_deadline must be between 15s and 1800s (got ${deadline / 1000}s).`);
    }
    dispatchDeadlineMs = deadline;
  }

  const clock = opts.clock;
  const now = clock.now();
  let scheduleTime = now;
  const wall = timestampToMs(pb.scheduleTime);
  if (wall !== undefined && wall !== 0) {
    const ahead = wall - clock.real();
    if (ahead > MAX_SCHEDULE_AHEAD_MS) {
      throw invalidArgument('Task.schedule_time is too far in the future: a task can be scheduled at most 30 days ahead.');
    }
    if (ahead > 0) scheduleTime = now + ahead;
  }

  return {
    name,
    id,
    queue,
    url,
    method,
    headers,
    body,
    oidc: oidc ? { serviceAccountEmail: oidc.serviceAccountEmail!, audience: oidc.audience || url } : undefined,
    oauth: oauth ? { serviceAccountEmail: oauth.serviceAccountEmail!, scope: oauth.scope || 'https://www.googleapis.com/auth/cloud-platform' } : undefined,
    scheduleTime,
    createTime: now,
    dispatchDeadlineMs,
    dispatchDeadlineSet,
    dispatchCount: 0,
    responseCount: 0,
    executionCount: 0,
    retryCount: 0,
    phase: 'scheduled',
    gen: 0,
    running: 0,
  };
}

/** Headers the service computes or reserves itself (task.proto: Host, Content-Length, User-Agent, X-Google-*, X-AppEngine-*). */
function isReplacedHeader(key: string, hasAuthToken: boolean): boolean {
  const k = key.toLowerCase();
  return (
    k === 'host' ||
    k === 'content-length' ||
    k === 'user-agent' ||
    k.startsWith('x-google-') ||
    k.startsWith('x-appengine-') ||
    k.startsWith('x-cloudtasks-') ||
    (hasAuthToken && k === 'authorization')
  );
}

function toBuffer(bytes: Buffer | Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
