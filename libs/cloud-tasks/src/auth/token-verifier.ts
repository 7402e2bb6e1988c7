import type { IncomingHttpHeaders } from 'node:http';
import type { JobCaller } from '../delivery/job-delivery.js';

/**
 * Decides who is calling the job endpoint, from the request headers, before the body is read. The default is
 * {@link OidcTokenVerifier} (Google-signed OIDC tokens, per `auth.mode`). To replace or extend it, provide your own
 * under this class as the token:
 *
 * ```ts
 * CloudTasksModule.forRootAsync({ useFactory: …, providers: [{ provide: TokenVerifier, useClass: MyVerifier }] })
 * ```
 *
 * Resolve the caller, or throw a `TokenRejection` (401 refused, 403 wrong identity, 503 cannot check now).
 */
export abstract class TokenVerifier {
  abstract verify(headers: IncomingHttpHeaders): Promise<JobCaller>;
}
