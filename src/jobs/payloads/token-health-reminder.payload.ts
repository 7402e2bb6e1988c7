import { UserJobPayload } from './user-job.payload.js';

/** `token-health-reminder`: check the user's Google grant and ask them to reconnect if it was revoked. */
export class TokenHealthReminderPayload extends UserJobPayload {}
