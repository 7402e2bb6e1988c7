/** Defaults of {@link CloudTasksDashboardOptions}. */
export const DASHBOARD_DEFAULTS = {
  path: '_jobs',
  recentDeliveries: 200,
  statsWindow: 500,
  queueStateTtlSeconds: 5,
} as const;

/** The header Identity-Aware Proxy adds with its signed assertion. */
export const IAP_ASSERTION_HEADER = 'x-goog-iap-jwt-assertion';
/** IAP's public keys (ES256, a JSON map key id → PEM). */
export const IAP_CERTS_URL = 'https://www.gstatic.com/iap/verify/public_key';
/** The issuer of IAP's assertions. */
export const IAP_ISSUER = 'https://cloud.google.com/iap';

/** Name of the cookie holding the CSRF nonce, and of the form field holding the token. */
export const CSRF_COOKIE = 'cloud_tasks_dashboard_csrf';
export const CSRF_FIELD = 'csrf';

/** How many dead letters the overview lists. */
export const DEAD_LETTERS_SHOWN = 25;
/** Longest error text shown for a delivery. */
export const MAX_ERROR_CHARS = 300;
/** Longest masked payload shown on a dead letter's page (characters of JSON). */
export const MAX_DATA_CHARS = 20_000;
/** Per-call deadline of the Cloud Tasks reads behind the live state. */
export const QUEUE_READ_TIMEOUT_MS = 5_000;
/** One `listTasks` page: the most Cloud Tasks returns at once. Beyond it the page says "1000+". */
export const TASKS_PAGE_SIZE = 1000;
