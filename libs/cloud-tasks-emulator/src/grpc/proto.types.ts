/**
 * Plain-object shapes of the Cloud Tasks v2 messages as @grpc/proto-loader hands them over and takes them back
 * (camelCase fields, enums as strings, int64 as numbers, bytes as Buffers, absent fields left undefined).
 */
export interface DurationPb {
  seconds?: number | string | null;
  nanos?: number | null;
}

export type TimestampPb = DurationPb;

export interface RateLimitsPb {
  maxDispatchesPerSecond?: number | null;
  maxBurstSize?: number | null;
  maxConcurrentDispatches?: number | null;
}

export interface RetryConfigPb {
  maxAttempts?: number | null;
  maxRetryDuration?: DurationPb | null;
  minBackoff?: DurationPb | null;
  maxBackoff?: DurationPb | null;
  maxDoublings?: number | null;
}

export type QueueStatePb = 'STATE_UNSPECIFIED' | 'RUNNING' | 'PAUSED' | 'DISABLED';

export interface QueuePb {
  name?: string | null;
  appEngineRoutingOverride?: AppEngineRoutingPb | null;
  rateLimits?: RateLimitsPb | null;
  retryConfig?: RetryConfigPb | null;
  state?: QueueStatePb | null;
  purgeTime?: TimestampPb | null;
  stackdriverLoggingConfig?: { samplingRatio?: number | null } | null;
}

export type HttpMethodPb = 'HTTP_METHOD_UNSPECIFIED' | 'POST' | 'GET' | 'HEAD' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS';

export interface OidcTokenPb {
  serviceAccountEmail?: string | null;
  audience?: string | null;
}

export interface OAuthTokenPb {
  serviceAccountEmail?: string | null;
  scope?: string | null;
}

export interface HttpRequestPb {
  url?: string | null;
  httpMethod?: HttpMethodPb | null;
  headers?: Record<string, string> | null;
  body?: Buffer | Uint8Array | null;
  oauthToken?: OAuthTokenPb | null;
  oidcToken?: OidcTokenPb | null;
  authorizationHeader?: 'oauthToken' | 'oidcToken';
}

export interface AppEngineRoutingPb {
  service?: string | null;
  version?: string | null;
  instance?: string | null;
  host?: string | null;
}

export interface AppEngineHttpRequestPb {
  httpMethod?: HttpMethodPb | null;
  appEngineRouting?: AppEngineRoutingPb | null;
  relativeUri?: string | null;
  headers?: Record<string, string> | null;
  body?: Buffer | Uint8Array | null;
}

export interface StatusPb {
  code: number;
  message: string;
}

export interface AttemptPb {
  scheduleTime?: TimestampPb;
  dispatchTime?: TimestampPb;
  responseTime?: TimestampPb;
  responseStatus?: StatusPb;
}

export type TaskViewPb = 'VIEW_UNSPECIFIED' | 'BASIC' | 'FULL';

export interface TaskPb {
  name?: string | null;
  appEngineHttpRequest?: AppEngineHttpRequestPb | null;
  httpRequest?: HttpRequestPb | null;
  messageType?: 'appEngineHttpRequest' | 'httpRequest';
  scheduleTime?: TimestampPb | null;
  createTime?: TimestampPb | null;
  dispatchDeadline?: DurationPb | null;
  dispatchCount?: number;
  responseCount?: number;
  firstAttempt?: AttemptPb;
  lastAttempt?: AttemptPb;
  view?: TaskViewPb;
}

export interface FieldMaskPb {
  paths?: string[] | null;
}
