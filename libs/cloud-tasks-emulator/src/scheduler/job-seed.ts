import { DEFAULT_LOCATION, DEFAULT_PROJECT_ID } from '../emulator.constants.js';
import type { JobPb } from '../grpc/scheduler-proto.types.js';
import type { ProtoJsonCodec } from '../rest/proto-json.codec.js';

/**
 * Scheduler jobs to create at start, in one project and location: Cloud Scheduler's REST `Job` resources
 * (`{ "name": "nightly", "schedule": "0 3 * * *", "timeZone": "Europe/Paris", "httpTarget": { "uri": "…" } }`,
 * durations as `"10s"`, `body` base64), `name` a job id or a full name. `jobs` is a map (keys are labels) or a list.
 */
export interface EmulatorJobSeed {
  /** Default `'local-project'`. */
  readonly projectId?: string;
  /** Default `'us-central1'`. */
  readonly location?: string;
  readonly jobs: Readonly<Record<string, Readonly<Record<string, unknown>>>> | readonly Readonly<Record<string, unknown>>[];
}

/** Every job of a seed as a `Job` message under `projects/{projectId}/locations/{location}`. */
export function seededJobs(seed: EmulatorJobSeed, codec: ProtoJsonCodec): { label: string; parent: string; job: JobPb }[] {
  const parent = `projects/${seed.projectId ?? DEFAULT_PROJECT_ID}/locations/${seed.location ?? DEFAULT_LOCATION}`;
  const entries = Array.isArray(seed.jobs) ? seed.jobs.map((job, i) => [`jobs[${i}]`, job] as const) : Object.entries(seed.jobs);
  return entries.map(([label, json]) => {
    const id = json?.name;
    if (typeof id !== 'string' || id === '') throw new Error(`Job definition ${label} has no "name": give at least { "name": "my-job", "schedule": "…", "httpTarget": { "uri": "…" } }.`);
    let job: JobPb;
    try {
      job = codec.fromJson('google.cloud.scheduler.v1.Job', { ...json, name: id.includes('/') ? id : `${parent}/jobs/${id}` }) as JobPb;
    } catch (error) {
      throw new Error(`Job definition ${label} is not a Cloud Scheduler Job resource: ${(error as Error).message}`);
    }
    return { label, parent, job };
  });
}
