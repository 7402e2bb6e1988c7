import {
  Allow,
  ArrayNotEmpty,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { Type } from 'class-transformer';
import { JobLimits } from '../limits/job-limits.js';

const DURATION = /^\d+(\.\d{1,9})?s$/;
const DURATION_MESSAGE = '$property must be a Cloud Tasks duration such as "30s" or "0.5s"';

export class RetryConfigSchema {
  @IsInt() @Min(-1) maxAttempts!: number;
  @IsString() @Matches(DURATION, { message: DURATION_MESSAGE }) minBackoff!: string;
  @IsString() @Matches(DURATION, { message: DURATION_MESSAGE }) maxBackoff!: string;
  @IsInt() @Min(0) @Max(16) maxDoublings!: number;
  @IsOptional() @IsString() @Matches(DURATION, { message: DURATION_MESSAGE }) maxRetryDuration?: string;
}

export class RateLimitsSchema {
  @IsOptional() @IsNumber() @Min(0.001) @Max(500) maxDispatchesPerSecond?: number;
  @IsOptional() @IsInt() @Min(1) @Max(5000) maxConcurrentDispatches?: number;
}

export class QueueConfigSchema {
  @IsString() @Matches(/^[A-Za-z0-9-]{1,100}$/, { message: 'name must be a queue id of letters, digits and hyphens (max 100)' })
  name!: string;
  @IsObject() @ValidateNested() @Type(() => RetryConfigSchema) retryConfig!: RetryConfigSchema;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => RateLimitsSchema) rateLimits?: RateLimitsSchema;
  @IsOptional() @IsInt() @Min(JobLimits.minDispatchDeadlineSeconds) @Max(JobLimits.maxDispatchDeadlineSeconds) dispatchDeadline?: number;
}

export class AuthSchema {
  @IsOptional() @IsIn(['verify-signature', 'cloud-run-iam', 'none']) mode?: string;
  @IsOptional() @IsString() @IsNotEmpty() audience?: string;
  @IsOptional() @IsArray() @ArrayNotEmpty() @IsEmail({}, { each: true }) allowedServiceAccounts?: string[];
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'] }) certsUrl?: string;
  @IsOptional() @IsArray() @ArrayNotEmpty() @IsString({ each: true }) issuers?: string[];
  @IsOptional() @IsInt() @Min(0) @Max(300) clockSkewSeconds?: number;
}

export class UpstashSchema {
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }) url!: string;
  @IsString() @IsNotEmpty() token!: string;
}

export class IdempotencySchema {
  @IsOptional() @IsObject() @ValidateNested() @Type(() => UpstashSchema) upstash?: UpstashSchema;
  @Allow() store?: unknown;
  @IsOptional() @IsInt() @Min(1) ttlSeconds?: number;
  @IsOptional() @IsIn(['open', 'closed']) failMode?: string;
  @IsOptional() @IsInt() @Min(0) maxResultBytes?: number;
  @IsOptional() @IsNumber() @Min(1) @Max(300) leaseSeconds?: number;
  @Allow() keyOf?: unknown;
}

export class DeadLetterSchema {
  @Allow() store?: unknown;
  @IsOptional() @IsInt() @Min(1) ttlSeconds?: number;
}

export class PayloadLimitsSchema {
  @IsOptional() @IsInt() @Min(1) @Max(1000) maxDepth?: number;
  @IsOptional() @IsInt() @Min(1) maxKeysPerObject?: number;
  @IsOptional() @IsInt() @Min(1) maxNodes?: number;
}

export class SigningSchema {
  @IsArray() @ArrayNotEmpty() @IsString({ each: true }) @MinLength(32, { each: true, message: 'each signing secret must be at least 32 characters' }) secrets!: string[];
}

export class CloudTasksOptionsSchema {
  @IsString() @IsNotEmpty() @Matches(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$|^[a-z0-9.:-]+$/, { message: 'projectId must be a GCP project id' })
  projectId!: string;
  @IsString() @IsNotEmpty() @Matches(/^[a-z0-9-]+$/, { message: 'location must be a region such as us-central1' })
  location!: string;
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }, { message: 'serviceUrl must be an absolute http(s) URL' })
  serviceUrl!: string;
  @IsEmail({}, { message: 'serviceAccountEmail must be an email address' }) serviceAccountEmail!: string;
  @IsObject() queues!: Record<string, unknown>;
  // NOTE: checked by resolveSchedules (croner, the queue configs), which names each schedule and its job.
  @Allow() schedules?: unknown;
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9/_-]+$/, { message: 'handlerPath must be a URL path such as api/jobs' })
  handlerPath?: string;
  @IsOptional() @IsString() @Matches(/^(\[[^\]]+\]|[^:/\s]+):\d+$/, { message: 'emulatorHost must be HOST:PORT' })
  emulatorHost?: string;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => AuthSchema) auth?: AuthSchema;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => IdempotencySchema) idempotency?: IdempotencySchema;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => DeadLetterSchema) deadLetters?: DeadLetterSchema;
  @IsOptional() @IsInt() @Min(1024) @Max(1024 * 1024) maxTaskBytes?: number;
  @IsOptional() @IsInt() @Min(1024 * 1024) maxBodyBytesInFlight?: number;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => PayloadLimitsSchema) payloadLimits?: PayloadLimitsSchema;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => SigningSchema) signing?: SigningSchema;
  @IsOptional() @IsArray() @IsString({ each: true }) redactKeys?: string[];
  @Allow() errorClassifier?: unknown;
  @IsOptional() @IsIn(['single-instance']) allowMemoryStores?: string;
  @Allow() transport?: unknown;
  @Allow() enqueueRateLimits?: unknown;
}
