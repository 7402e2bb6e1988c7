import {
  ForbiddenException,
  HttpException,
  Injectable,
  Logger,
  ServiceUnavailableException,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import { TokenRejection } from '../errors/token-rejection.error.js';
import { deliveryOf } from '../http/adapters/job-http.adapter.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import { certsFailure } from './oidc-token.verifier.js';
import { TokenVerifier } from './token-verifier.js';

interface GuardedRequest {
  headers: IncomingHttpHeaders;
  params?: Record<string, string | undefined>;
  ip?: string;
}

/**
 * Authenticates the caller with the {@link TokenVerifier} (Cloud Tasks' OIDC token by default) before anything reads
 * the body. On the job endpoint the caller is recorded on the delivery; on a route of your own it simply guards it
 * (e.g. `@UseGuards(OidcAuthGuard)` on a push endpoint that only Cloud Tasks may call).
 *
 * 401 missing or invalid token, 403 an identity outside `auth.allowedServiceAccounts`, 503 certs unreachable. Every
 * refusal is logged once with its reason, the job name, IP and user agent, never with the token. Auth mode `none`
 * (local runs only) lets every request through.
 */
@Injectable()
export class OidcAuthGuard implements CanActivate {
  private readonly logger = new Logger('CloudTasks');

  constructor(
    private readonly verifier: TokenVerifier,
    @InjectResolvedOptions() private readonly options: ResolvedCloudTasksOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.options.auth.mode === 'none') return true;
    // NOTE: what switchToHttp().getRequest() returns, without the three closures switchToHttp() allocates per call.
    const request = context.getArgByIndex<GuardedRequest>(0);
    try {
      const caller = await this.verifier.verify(request.headers);
      deliveryOf(request)?.set('caller', caller);
      return true;
    } catch (error) {
      throw this.refuse(request, error);
    }
  }

  private refuse(request: GuardedRequest, error: unknown): HttpException {
    const rejection = error instanceof TokenRejection ? error : new TokenRejection('Token could not be verified', 401);
    const line = {
      msg: 'job request refused',
      status: rejection.status,
      reason: rejection.message,
      jobName: request.params?.jobName?.slice(0, 100),
      ip: request.ip,
      userAgent: request.headers['user-agent']?.slice(0, 200),
    };
    if (rejection.status === 503) this.logger.error({ ...line, error: certsFailure(error) });
    else this.logger.warn(line);
    if (rejection.status === 403) return new ForbiddenException(rejection.message);
    if (rejection.status === 503) return new ServiceUnavailableException(rejection.message);
    return new UnauthorizedException(rejection.message);
  }
}
