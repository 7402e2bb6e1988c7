import { invalidArgument } from '../core/rpc.error.js';

/** A page of `items` (sorted by `key`) after the opaque `pageToken`, and the token of the next page. */
export function paginate<T>(items: T[], key: (item: T) => string, pageSize: number | null | undefined, pageToken: string | null | undefined, maxPageSize: number) {
  if (pageSize != null && pageSize < 0) throw invalidArgument('page_size must not be negative.');
  const size = !pageSize ? maxPageSize : Math.min(pageSize, maxPageSize);
  let start = 0;
  if (pageToken) {
    let after: string;
    try {
      after = Buffer.from(pageToken, 'base64url').toString('utf8');
    } catch {
      throw invalidArgument('Invalid page_token.');
    }
    if (!after.startsWith('after:')) throw invalidArgument('Invalid page_token.');
    const last = after.slice('after:'.length);
    start = items.findIndex((item) => key(item) > last);
    if (start === -1) start = items.length;
  }
  const page = items.slice(start, start + size);
  const more = start + size < items.length;
  const nextPageToken = more ? Buffer.from(`after:${key(page[page.length - 1])}`).toString('base64url') : '';
  return { page, nextPageToken };
}
