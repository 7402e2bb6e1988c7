import { DEFAULT_APP_ENGINE_URL } from '../emulator.constants.js';
import type { AppEngineRoutingPb } from '../grpc/proto.types.js';
import type { QueueRecord } from './queue.record.js';

/** Where App Engine tasks go locally: one base URL for every service, or one per service (`default` for the default service, `*` for the rest). */
export type AppEngineUrls = string | Readonly<Record<string, string>>;

export interface AppEngineRouting {
  service: string;
  version: string;
  instance: string;
}

/** The User-Agent the service sends to App Engine (appended to a task's own). */
export const APP_ENGINE_USER_AGENT = 'AppEngine-Google; (+http://code.google.com/appengine)';

/** The routing an App Engine task of `queue` is dispatched with: the queue's override wins over the task's own. */
export function effectiveRouting(queue: QueueRecord, own: AppEngineRouting): AppEngineRouting {
  return queue.settings.appEngineRouting ?? own;
}

export function toRouting(pb: AppEngineRoutingPb | null | undefined): AppEngineRouting {
  return { service: pb?.service ?? '', version: pb?.version ?? '', instance: pb?.instance ?? '' };
}

/** The host the service would send the task to (`[instance.][version.][service.]PROJECT.appspot.com`): reported, not dialled. */
export function appEngineHost(queue: QueueRecord, routing: AppEngineRouting): string {
  const project = queue.parent.split('/')[1];
  return [routing.instance, routing.version, routing.service, `${project}.appspot.com`].filter(Boolean).join('.');
}

/** The local URL an App Engine task is dispatched to: the base URL of its service + its relative URI. */
export function appEngineUrl(urls: AppEngineUrls | undefined, routing: AppEngineRouting, relativeUri: string): string {
  const base =
    typeof urls === 'string' ? urls : (urls?.[routing.service || 'default'] ?? urls?.['*'] ?? (urls ? undefined : DEFAULT_APP_ENGINE_URL));
  if (!base) {
    throw new Error(
      `No local URL for App Engine service "${routing.service || 'default'}": add it to appEngineUrl (--app-engine-url ${routing.service || 'default'}=http://HOST:PORT) or give a "*" entry.`,
    );
  }
  return `${base.replace(/\/+$/, '')}${relativeUri}`;
}
