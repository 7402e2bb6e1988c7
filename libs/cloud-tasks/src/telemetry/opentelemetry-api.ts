import type * as OpenTelemetry from '@opentelemetry/api';

/** The `@opentelemetry/api` module, when the app has it installed. */
export type OpenTelemetryApi = typeof OpenTelemetry;

/** Token of the loaded `@opentelemetry/api` module, or null when the app does not have it. */
export const OPENTELEMETRY_API = Symbol('cloud-tasks:opentelemetry-api');

/**
 * Loads `@opentelemetry/api` (an optional peer dependency) once per module instance: null when it is not installed, so
 * an app without OpenTelemetry pays nothing beyond this one failed import.
 */
export async function loadOpenTelemetryApi(): Promise<OpenTelemetryApi | null> {
  try {
    const loaded = (await import('@opentelemetry/api')) as OpenTelemetryApi & { default?: OpenTelemetryApi };
    // NOTE: the package's Node entry is CommonJS: its exports may arrive as the namespace or as its default.
    return typeof loaded.trace?.getTracer === 'function' ? loaded : (loaded.default ?? null);
  } catch {
    return null;
  }
}
