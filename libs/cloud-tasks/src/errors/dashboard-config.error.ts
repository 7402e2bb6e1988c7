/** A boot-time mistake in `CloudTasksDashboardModule`'s options (no access check outside local mode, a bad path…). */
export class DashboardConfigError extends Error {
  override readonly name = 'DashboardConfigError';
}
