import { randomUUID } from 'node:crypto';
import {
  DEFAULT_DISPATCH_DEADLINE_MS,
  MAX_APP_ENGINE_DISPATCH_DEADLINE_MS,
  MAX_DISPATCH_DEADLINE_MS,
  MAX_SCHEDULE_AHEAD_MS,
  MIN_DISPATCH_DEADLINE_MS,
  USER_AGENT,
} from '../emulator.constants.js';
import type { AppEngineHttpRequestPb, HttpRequestPb, TaskPb } from '../grpc/proto.types.js';
import { APP_ENGINE_USER_AGENT, appEngineUrl, effectiveRouting, toRouting, type AppEngineUrls } from './app-engine.target.js';
import type { VirtualClock } from '../time/virtual.clock.js';
import { durationToMs, timestampToMs } from './durations.js';
import type { QueueRecord } from './queue.record.js';
import { parseTaskName } from './resource-names.js';
import { isReplacedHeader } from './reserved-headers.js';
import { Messages, invalidArgument } from './rpc.error.js';
import type { TaskRecord } from './task.record.js';

export interface TaskFactoryOptions {
  clock: VirtualClock;
  /** Largest task accepted: body + header names and values + url, in bytes. */
  maxTaskBytes: number;
  newTaskId?: () => string;
  /** Local base URL(s) of App Engine services. */
  appEngineUrls?: AppEngineUrls;
}

/** What a task targets, before the checks common to both kinds. */
type Target = Pick<TaskRecord, 'url' | 'method' | 'body' | 'oidc' | 'oauth' | 'appEngine'> & { headers: Record<string, string> | null | undefined };

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

  if (pb.httpRequest && pb.appEngineHttpRequest) throw invalidArgument('A task has either http_request or app_engine_http_request, not both.');
  const target = pb.appEngineHttpRequest
    ? appEngineTarget(queue, pb.appEngineHttpRequest, opts)
    : pb.httpRequest
      ? httpTarget(pb.httpRequest)
      : undefined;
  if (!target) throw invalidArgument('Task.http_request or Task.app_engine_http_request is required.');
  const { url, method, body } = target;
  if (body && !BODY_METHODS.has(method)) {
    throw invalidArgument(`HttpRequest.body can only be set for POST, PUT or PATCH requests, not ${method}.`);
  }

  const appEngine = target.appEngine !== undefined;
  const headers: Record<string, string> = {};
  let headerBytes = 0;
  let ownUserAgent: string | undefined;
  if (target.headers) {
    for (const key in target.headers) {
      const value = target.headers[key];
      headerBytes += Buffer.byteLength(key) + Buffer.byteLength(value);
      if (key.toLowerCase() === 'user-agent') ownUserAgent = value;
      if (isReplacedHeader(key, target.oidc != null || target.oauth != null, 'x-cloudtasks-')) continue;
      headers[key] = value;
    }
  }
  // NOTE: the service stores the User-Agent it will send, so it shows up in GetTask (recorded behaviour). App Engine
  // tasks keep their own User-Agent with the App Engine one appended; HTTP tasks get Google-Cloud-Tasks.
  headers['User-Agent'] = appEngine ? (ownUserAgent ? `${ownUserAgent} ${APP_ENGINE_USER_AGENT}` : APP_ENGINE_USER_AGENT) : USER_AGENT;
  if (appEngine && body && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/octet-stream';
  if (headerBytes > MAX_HEADERS_BYTES) throw invalidArgument(`HttpRequest.headers must be smaller than 80KB (got ${headerBytes} bytes).`);
  const size = (body?.length ?? 0) + headerBytes + Buffer.byteLength(url);
  if (size > opts.maxTaskBytes) {
    throw invalidArgument(`Task size too large: ${size} bytes (body, headers and url); the maximum task size is ${opts.maxTaskBytes} bytes.`);
  }

  let dispatchDeadlineMs = DEFAULT_DISPATCH_DEADLINE_MS;
  const deadline = durationToMs(pb.dispatchDeadline);
  const dispatchDeadlineSet = deadline !== undefined && deadline !== 0;
  if (dispatchDeadlineSet) {
    const max = appEngine ? MAX_APP_ENGINE_DISPATCH_DEADLINE_MS : MAX_DISPATCH_DEADLINE_MS;
    if (deadline < MIN_DISPATCH_DEADLINE_MS || deadline > max) {
      throw invalidArgument(`Task.dispatch_deadline must be between 15s and ${max / 1000}s (got ${deadline / 1000}s).`);
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
    oidc: target.oidc,
    oauth: target.oauth,
    appEngine: target.appEngine,
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

function httpTarget(http: HttpRequestPb): Target {
  const url = http.url ?? '';
  if (!url) throw invalidArgument('HttpRequest.url is required.');
  if (!url.startsWith('http://') && !url.startsWith('https://')) {
    throw invalidArgument("HttpTarget.url must start with 'http://' or 'https://'.");
  }
  if (url.length > MAX_URL_LENGTH) throw invalidArgument(`HttpRequest.url must be at most ${MAX_URL_LENGTH} characters.`);
  const oidc = http.oidcToken;
  if (oidc && !oidc.serviceAccountEmail) throw invalidArgument('OidcToken.service_account_email is required.');
  const oauth = http.oauthToken;
  if (oauth && !oauth.serviceAccountEmail) throw invalidArgument('OAuthToken.service_account_email is required.');
  return {
    url,
    method: methodOf(http.httpMethod),
    headers: http.headers,
    body: http.body && http.body.length > 0 ? toBuffer(http.body) : undefined,
    oidc: oidc ? { serviceAccountEmail: oidc.serviceAccountEmail!, audience: oidc.audience || url } : undefined,
    oauth: oauth ? { serviceAccountEmail: oauth.serviceAccountEmail!, scope: oauth.scope || 'https://www.googleapis.com/auth/cloud-platform' } : undefined,
  };
}

function appEngineTarget(queue: QueueRecord, ae: AppEngineHttpRequestPb, opts: TaskFactoryOptions): Target {
  const relativeUri = ae.relativeUri || '/';
  if (!relativeUri.startsWith('/')) throw invalidArgument('AppEngineHttpRequest.relative_uri must begin with "/".');
  if (/\s/.test(relativeUri)) throw invalidArgument('AppEngineHttpRequest.relative_uri must not contain spaces.');
  if (relativeUri.length > MAX_URL_LENGTH) throw invalidArgument(`AppEngineHttpRequest.relative_uri must be at most ${MAX_URL_LENGTH} characters.`);
  const routing = toRouting(ae.appEngineRouting);
  let url: string;
  try {
    url = appEngineUrl(opts.appEngineUrls, effectiveRouting(queue, routing), relativeUri);
  } catch (error) {
    throw invalidArgument((error as Error).message);
  }
  return {
    url,
    method: methodOf(ae.httpMethod),
    headers: ae.headers,
    body: ae.body && ae.body.length > 0 ? toBuffer(ae.body) : undefined,
    appEngine: { relativeUri, routing },
  };
}

function methodOf(method: HttpRequestPb['httpMethod']): string {
  return !method || method === 'HTTP_METHOD_UNSPECIFIED' ? 'POST' : method;
}

function toBuffer(bytes: Buffer | Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
