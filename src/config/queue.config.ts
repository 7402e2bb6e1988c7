import type { QueueConfig } from '@nest-cloud-tasks/core';

/** The 11 CatchUp job types, one Cloud Tasks queue each. */
export const JOB_NAMES = [
  'token-refresh',
  'calendar-sync',
  'google-contacts-sync',
  'adaptive-sync',
  'webhook-renewal',
  'suggestion-regeneration',
  'batch-notifications',
  'suggestion-generation',
  'webhook-health-check',
  'notification-reminder',
  'token-health-reminder',
] as const;

/** A CatchUp job name. */
export type JobName = (typeof JOB_NAMES)[number];

/**
 * Job name → Cloud Tasks queue, retry policy and rate limits.
 * `npm run queues:sync` provisions exactly these; the emulator creates them at start.
 */
export const QUEUE_CONFIGS: Record<JobName, QueueConfig> = {
  'token-refresh': {
    name: 'token-refresh-queue',
    retryConfig: { maxAttempts: 3, minBackoff: '60s', maxBackoff: '3600s', maxDoublings: 2 },
    rateLimits: { maxDispatchesPerSecond: 10 },
  },
  'calendar-sync': {
    name: 'calendar-sync-queue',
    retryConfig: { maxAttempts: 5, minBackoff: '30s', maxBackoff: '1800s', maxDoublings: 3 },
    rateLimits: { maxDispatchesPerSecond: 20 },
  },
  'google-contacts-sync': {
    name: 'google-contacts-sync-queue',
    retryConfig: { maxAttempts: 5, minBackoff: '30s', maxBackoff: '1800s', maxDoublings: 3 },
    rateLimits: { maxDispatchesPerSecond: 10 },
  },
  'adaptive-sync': {
    name: 'adaptive-sync-queue',
    retryConfig: { maxAttempts: 5, minBackoff: '10s', maxBackoff: '300s', maxDoublings: 3 },
  },
  'webhook-renewal': {
    name: 'webhook-renewal-queue',
    retryConfig: { maxAttempts: 5, minBackoff: '30s', maxBackoff: '1800s', maxDoublings: 3 },
  },
  'suggestion-regeneration': {
    name: 'suggestion-regeneration-queue',
    retryConfig: { maxAttempts: 3, minBackoff: '60s', maxBackoff: '3600s', maxDoublings: 2 },
  },
  'batch-notifications': {
    name: 'batch-notifications-queue',
    retryConfig: { maxAttempts: 5, minBackoff: '10s', maxBackoff: '300s', maxDoublings: 3 },
    rateLimits: { maxDispatchesPerSecond: 50 },
  },
  'suggestion-generation': {
    name: 'suggestion-generation-queue',
    retryConfig: { maxAttempts: 3, minBackoff: '60s', maxBackoff: '3600s', maxDoublings: 2 },
  },
  'webhook-health-check': {
    name: 'webhook-health-check-queue',
    retryConfig: { maxAttempts: 3, minBackoff: '30s', maxBackoff: '900s', maxDoublings: 2 },
  },
  'notification-reminder': {
    name: 'notification-reminder-queue',
    retryConfig: { maxAttempts: 3, minBackoff: '60s', maxBackoff: '1800s', maxDoublings: 2 },
  },
  'token-health-reminder': {
    name: 'token-health-reminder-queue',
    retryConfig: { maxAttempts: 3, minBackoff: '60s', maxBackoff: '1800s', maxDoublings: 2 },
  },
};
