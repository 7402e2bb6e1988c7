import {
  ForbiddenException,
  HttpException,
  Inject,
  Injectable,
  Logger,
  ServiceUnavailableException,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
  type OnModuleInit,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { IncomingHttpHeaders } from 'node:http';
import { isObservable, lastValueFrom } from 'rxjs';
import { InjectResolvedOptions } from '../cloud-tasks.tokens.js';
import { DashboardConfigError } from '../errors/dashboard-config.error.js';
import { TokenRejection } from '../errors/token-rejection.error.js';
import { CLOUD_TASKS_LOCAL_MODE, type LocalMode } from '../options/local-mode.js';
import type { ResolvedCloudTasksOptions } from '../options/resolved-options.js';
import { DASHBOARD_CLOUD_RUN_IAM_WARNING, DASHBOARD_GUARD_NOT_A_GUARD, DASHBOARD_GUARD_REFUSED, DASHBOARD_WITHOUT_ACCESS } from './dashboard.messages.js';
import type { AccessNote } from './dashboard.view.js';
import { DashboardIdentityVerifier } from './dashboard-identity.verifier.js';
import { RESOLVED_DASHBOARD_OPTIONS, type ResolvedDashboardOptions } from './resolved-dashboard-options.js';

interface DashboardRequest {
  headers: IncomingHttpHeaders;
  ip?: string;
}

/**
 * The dashboard's access check, used by every route of it through `DashboardAccessGuard`. Outside local mode it refuses to boot unless the app configured
 * one: identities verified from a Google-signed token (401 without a valid one, 403 for someone not allowed), a guard
 * of the app's (false → 403), or both. In local mode with neither, the dashboard is open and says so.
 */
@Injectable()
export class DashboardAccess implements OnModuleInit {
  private readonly logger = new Logger('CloudTasksDashboard');
  private readonly notes = new WeakMap<object, AccessNote>();
  private appGuard?: CanActivate;
  private verifier?: DashboardIdentityVerifier;

  constructor(
    @Inject(RESOLVED_DASHBOARD_OPTIONS) private readonly options: ResolvedDashboardOptions,
    @Inject(CLOUD_TASKS_LOCAL_MODE) private readonly mode: LocalMode,
    @InjectResolvedOptions() private readonly core: ResolvedCloudTasksOptions,
    private readonly moduleRef: ModuleRef,
  ) {}

  async onModuleInit(): Promise<void> {
    const { guard, identities, path } = this.options;
    if (!guard && !identities && !this.mode.local) throw new DashboardConfigError(DASHBOARD_WITHOUT_ACCESS(path));
    if (guard) {
      const instance: unknown = typeof guard === 'function' ? await this.moduleRef.create(guard) : guard;
      if (typeof (instance as Partial<CanActivate>)?.canActivate !== 'function') {
        throw new DashboardConfigError(DASHBOARD_GUARD_NOT_A_GUARD(typeof guard === 'function' ? guard.name : String(guard?.constructor?.name ?? guard)));
      }
      this.appGuard = instance as CanActivate;
    }
    if (identities) this.verifier = new DashboardIdentityVerifier(identities, this.core);
    if (identities?.oidc?.mode === 'cloud-run-iam') this.logger.warn(DASHBOARD_CLOUD_RUN_IAM_WARNING);
    if (!guard && !identities) this.logger.warn(`the jobs dashboard at /${path} is open: local mode (${this.mode.via ?? 'emulator'}), no access check configured`);
  }

  async check(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<DashboardRequest>();
    let note: AccessNote = { kind: 'open', via: this.mode.via ?? 'emulator' };
    if (this.verifier) {
      try {
        const identity = await this.verifier.verify(request.headers);
        note = { kind: 'identity', ...identity };
      } catch (error) {
        throw this.refuse(request, error);
      }
    }
    if (this.appGuard) {
      const verdict = this.appGuard.canActivate(context);
      const allowed = isObservable(verdict) ? await lastValueFrom(verdict) : await verdict;
      if (!allowed) {
        this.logger.warn({ msg: 'jobs dashboard request refused by the access guard', guard: this.appGuard.constructor.name, ip: request.ip });
        throw new ForbiddenException(DASHBOARD_GUARD_REFUSED);
      }
      if (note.kind === 'open') note = { kind: 'guard', name: this.appGuard.constructor.name };
    }
    this.notes.set(request, note);
    return true;
  }

  /** How the request got in (set by {@link check}). */
  noteOf(request: object): AccessNote {
    return this.notes.get(request) ?? { kind: 'open', via: this.mode.via ?? 'emulator' };
  }

  /** The identity a request's CSRF token is bound to ('' when it has none). */
  identityOf(request: object): string {
    const note = this.notes.get(request);
    return note?.kind === 'identity' ? note.email.toLowerCase() : '';
  }

  private refuse(request: DashboardRequest, error: unknown): HttpException {
    const rejection = error instanceof TokenRejection ? error : new TokenRejection('Identity token could not be verified', 401);
    this.logger.warn({ msg: 'jobs dashboard request refused', status: rejection.status, reason: rejection.message, ip: request.ip, userAgent: request.headers['user-agent']?.slice(0, 200) });
    if (rejection.status === 403) return new ForbiddenException(rejection.message);
    if (rejection.status === 503) return new ServiceUnavailableException(rejection.message);
    return new UnauthorizedException(rejection.message);
  }
}
