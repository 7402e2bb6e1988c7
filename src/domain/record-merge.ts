/** What a sync changed locally. */
export interface SyncCounts {
  fetched: number;
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
}

/** Upserts `incoming` into `store` by id and counts the changes; `removeMissing` drops records Google no longer has. */
export function mergeRecords<T extends { id: string }>(store: Map<string, T>, incoming: readonly T[], removeMissing: boolean): SyncCounts {
  const counts: SyncCounts = { fetched: incoming.length, added: 0, updated: 0, unchanged: 0, removed: 0 };
  const seen = new Set<string>();
  for (const record of incoming) {
    seen.add(record.id);
    const existing = store.get(record.id);
    if (!existing) counts.added++;
    else if (JSON.stringify(existing) !== JSON.stringify(record)) counts.updated++;
    else counts.unchanged++;
    store.set(record.id, record);
  }
  if (removeMissing) {
    for (const id of [...store.keys()]) if (!seen.has(id) && store.delete(id)) counts.removed++;
  }
  return counts;
}

/** Adds counts together (e.g. over several calendars). */
export function sumCounts(all: readonly SyncCounts[]): SyncCounts {
  const total: SyncCounts = { fetched: 0, added: 0, updated: 0, unchanged: 0, removed: 0 };
  for (const counts of all) for (const key of Object.keys(total) as Array<keyof SyncCounts>) total[key] += counts[key];
  return total;
}
