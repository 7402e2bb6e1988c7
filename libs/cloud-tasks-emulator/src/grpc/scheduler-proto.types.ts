/**
 * Plain-object shapes of the Cloud Scheduler v1 messages as @grpc/proto-loader hands them over and takes them back
 * (camelCase fields, enums as strings, int64 as numbers, bytes as Buffers, absent fields left undefined).
 */
import type { DurationPb, HttpMethodPb, OAuthTokenPb, OidcTokenPb, StatusPb, TimestampPb } from './proto.types.js';

export interface HttpTargetPb {
  uri?: string | null;
  httpMethod?: HttpMethodPb | null;
  headers?: Record<string, string> | null;
  body?: Buffer | Uint8Array | null;
  oauthToken?: OAuthTokenPb | null;
  oidcToken?: OidcTokenPb | null;
  authorizationHeader?: 'oauthToken' | 'oidcToken';
}

export interface JobRetryConfigPb {
  retryCount?: number | null;
  maxRetryDuration?: DurationPb | null;
  minBackoffDuration?: DurationPb | null;
  maxBackoffDuration?: DurationPb | null;
  maxDoublings?: number | null;
}

export type JobStatePb = 'STATE_UNSPECIFIED' | 'ENABLED' | 'PAUSED' | 'DISABLED' | 'UPDATE_FAILED';

export interface JobPb {
  name?: string | null;
  description?: string | null;
  pubsubTarget?: Record<string, unknown> | null;
  appEngineHttpTarget?: Record<string, unknown> | null;
  httpTarget?: HttpTargetPb | null;
  target?: 'pubsubTarget' | 'appEngineHttpTarget' | 'httpTarget';
  schedule?: string | null;
  timeZone?: string | null;
  userUpdateTime?: TimestampPb | null;
  state?: JobStatePb | null;
  status?: StatusPb | null;
  scheduleTime?: TimestampPb | null;
  lastAttemptTime?: TimestampPb | null;
  retryConfig?: JobRetryConfigPb | null;
  attemptDeadline?: DurationPb | null;
}
