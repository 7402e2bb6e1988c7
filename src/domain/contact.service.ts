import { Injectable } from '@nestjs/common';
import { ClockService } from './clock.service.js';
import { FakeGoogleApi, type GoogleContact } from './fake-google-api.service.js';
import { mergeRecords, type SyncCounts } from './record-merge.js';
import { UserService } from './user.service.js';

/** Users' Google contacts, mirrored locally by syncs. */
@Injectable()
export class ContactService {
  private readonly contacts = new Map<string, Map<string, GoogleContact>>();
  private readonly syncedAt = new Map<string, Date>();

  constructor(
    private readonly users: UserService,
    private readonly google: FakeGoogleApi,
    private readonly clock: ClockService,
  ) {}

  /**
   * Pulls the user's contacts from Google; a full sync also drops contacts Google no longer has.
   * @throws UserNotFoundError, AccountDisconnectedError, GoogleApiError
   */
  async sync(userId: string, options: { fullSync?: boolean } = {}): Promise<SyncCounts> {
    const fetched = await this.users.callGoogle(userId, () => this.google.listContacts(userId));
    const store = this.contacts.get(userId) ?? new Map<string, GoogleContact>();
    this.contacts.set(userId, store);
    const counts = mergeRecords(store, fetched, options.fullSync ?? false);
    this.syncedAt.set(userId, this.clock.now());
    return counts;
  }

  list(userId: string): GoogleContact[] {
    return [...(this.contacts.get(userId)?.values() ?? [])];
  }

  lastSyncedAt(userId: string): Date | undefined {
    return this.syncedAt.get(userId);
  }
}
