import type { QueueRecord } from '../core/queue.record.js';
import { msToDuration, msToTimestamp } from '../core/durations.js';
import type { AttemptState, TaskRecord } from '../core/task.record.js';
import { responseStatus } from '../dispatch/attempt-outcome.js';
import { appEngineHost, effectiveRouting } from '../core/app-engine.target.js';
import type { AppEngineHttpRequestPb, AttemptPb, HttpRequestPb, QueuePb, TaskPb, TaskViewPb } from './proto.types.js';

export function queueToPb(q: QueueRecord): QueuePb {
  const { rate, retry } = q.settings;
  const pb: QueuePb = {
    name: q.name,
    rateLimits: {
      maxDispatchesPerSecond: rate.maxDispatchesPerSecond,
      maxBurstSize: rate.maxBurstSize,
      maxConcurrentDispatches: rate.maxConcurrentDispatches,
    },
    retryConfig: {
      maxAttempts: retry.maxAttempts,
      minBackoff: msToDuration(retry.minBackoffMs),
      maxBackoff: msToDuration(retry.maxBackoffMs),
      maxDoublings: retry.maxDoublings,
      maxRetryDuration: retry.maxRetryDurationMs > 0 ? msToDuration(retry.maxRetryDurationMs) : undefined,
    },
    state: q.state,
  };
  if (q.purgeTime !== undefined) pb.purgeTime = msToTimestamp(q.purgeTime);
  if (q.settings.appEngineRouting) {
    pb.appEngineRoutingOverride = { ...q.settings.appEngineRouting, host: appEngineHost(q, q.settings.appEngineRouting) };
  }
  if (q.settings.stackdriverSamplingRatio !== undefined) {
    pb.stackdriverLoggingConfig = { samplingRatio: q.settings.stackdriverSamplingRatio };
  }
  return pb;
}

/**
 * A task as the service returns it. BASIC (the default) leaves out the body, as the service does; headers are
 * returned in both views (recorded against Cloud Tasks: only the body is withheld).
 */
export function taskToPb(t: TaskRecord, view: TaskViewPb | null | undefined): TaskPb {
  const full = view === 'FULL';
  const pb: TaskPb = {
    name: t.name,
    ...(t.appEngine ? { appEngineHttpRequest: appEngineRequestToPb(t, full) } : { httpRequest: httpRequestToPb(t, full) }),
    scheduleTime: msToTimestamp(t.scheduleTime),
    // NOTE: create_time is truncated to the second by the service.
    createTime: { seconds: Math.floor(t.createTime / 1000), nanos: 0 },
    dispatchDeadline: msToDuration(t.dispatchDeadlineMs),
    dispatchCount: t.dispatchCount,
    responseCount: t.responseCount,
    view: full ? 'FULL' : 'BASIC',
  };
  if (t.firstAttemptTime !== undefined) pb.firstAttempt = { dispatchTime: msToTimestamp(t.firstAttemptTime) };
  if (t.lastAttempt) pb.lastAttempt = attemptToPb(t.lastAttempt);
  return pb;
}

function httpRequestToPb(t: TaskRecord, full: boolean): HttpRequestPb {
  const http: HttpRequestPb = { url: t.url, httpMethod: t.method as HttpRequestPb['httpMethod'], headers: t.headers };
  if (full && t.body) http.body = t.body;
  if (t.oidc) http.oidcToken = { serviceAccountEmail: t.oidc.serviceAccountEmail, audience: t.oidc.audience };
  else if (t.oauth) http.oauthToken = { serviceAccountEmail: t.oauth.serviceAccountEmail, scope: t.oauth.scope };
  return http;
}

function appEngineRequestToPb(t: TaskRecord, full: boolean): AppEngineHttpRequestPb {
  const routing = effectiveRouting(t.queue, t.appEngine!.routing);
  const pb: AppEngineHttpRequestPb = {
    httpMethod: t.method as HttpRequestPb['httpMethod'],
    appEngineRouting: { ...routing, host: appEngineHost(t.queue, routing) },
    relativeUri: t.appEngine!.relativeUri,
    headers: t.headers,
  };
  if (full && t.body) pb.body = t.body;
  return pb;
}

function attemptToPb(a: AttemptState): AttemptPb {
  const pb: AttemptPb = { scheduleTime: msToTimestamp(a.scheduleTime), dispatchTime: msToTimestamp(a.dispatchTime) };
  if (a.responseTime !== undefined && a.status !== undefined) {
    pb.responseTime = msToTimestamp(a.responseTime);
    pb.responseStatus = responseStatus(a.status);
  }
  return pb;
}
