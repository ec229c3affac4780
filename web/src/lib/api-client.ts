/** The API's one error shape (server/errors.ts): a stable code, a message and the field at fault. */
export interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function isErrorBody(body: unknown): body is ApiErrorBody {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = (body as { error: unknown }).error;
  return typeof error === 'object' && error !== null && 'message' in error;
}

/** How often a GET answered 429 (the server is busy) is tried again, after the `Retry-After` it gave. */
const BUSY_RETRIES = 3;

const pause = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    });
  });

/**
 * GETs a JSON document from the API; a non-2xx answer becomes an `ApiError` with the server's message.
 * A 429 (the server is busy) is retried after the `Retry-After` it names, a few times, before it is shown.
 */
export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  let response = await fetch(url, { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
  for (let retry = 0; response.status === 429 && retry < BUSY_RETRIES; retry++) {
    const seconds = Math.min(Number(response.headers.get('retry-after')) || 1, 5);
    await pause(seconds * 1000 * (retry + 1), signal);
    response = await fetch(url, { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    if (isErrorBody(body)) {
      const { code, message, field } = body.error;
      throw new ApiError(response.status, code, message, field);
    }
    throw new ApiError(response.status, 'HTTP_ERROR', `GET ${url} answered ${response.status}`);
  }
  return body as T;
}

/** A URL with its query parameters, leaving out the ones not given. */
export function apiUrl(path: string, query: Record<string, string | number | undefined> = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}
