import { IsBoolean, IsNotEmpty, IsOptional, IsString } from 'class-validator';
import { UserJobPayload } from './user-job.payload.js';

/** `calendar-sync`: mirror the user's Google Calendar events. */
export class CalendarSyncPayload extends UserJobPayload {
  /** Sync only this calendar (default: all of the user's calendars). */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  calendarId?: string;

  /** Also drop local events Google no longer has. */
  @IsOptional()
  @IsBoolean()
  fullSync?: boolean;
}
