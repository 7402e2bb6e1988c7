import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { DashboardAccess } from './dashboard-access.js';

/** The guard on the dashboard's routes (an injectable of the controller); the state lives in {@link DashboardAccess}. */
@Injectable()
export class DashboardAccessGuard implements CanActivate {
  constructor(private readonly access: DashboardAccess) {}

  canActivate(context: ExecutionContext): Promise<boolean> {
    return this.access.check(context);
  }
}
