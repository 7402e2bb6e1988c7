import { IsInt, IsNotEmpty, IsOptional, IsString, Max, Min } from 'class-validator';

/** `webhook-health-check`: find webhook channels that expired or expire soon (one user's, or everyone's). */
export class WebhookHealthCheckPayload {
  /** Check only this user's channels (default: all channels). */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  userId?: string;

  /** Channels expiring within this many hours need renewal (1–168, default 24). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(168)
  renewWithinHours?: number;
}
