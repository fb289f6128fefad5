// The one way the browser talks to Outpost's JSON API. Errors arrive as
// {error:{code,message,issues}}; they become an ApiError the UI can map to fields.

export interface ApiIssue {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly issues: ApiIssue[];
  readonly retryAfterSeconds: number | null;

  constructor(
    status: number,
    code: string,
    message: string,
    issues: ApiIssue[] = [],
    retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.issues = issues;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; issues?: unknown };
}

function toIssues(raw: unknown): ApiIssue[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((i) =>
    i && typeof i === "object" && typeof (i as ApiIssue).message === "string"
      ? [{ path: String((i as ApiIssue).path ?? ""), message: (i as ApiIssue).message }]
      : [],
  );
}

export interface ApiRequest {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  signal?: AbortSignal;
}

export async function apiFetch<T>(path: string, req: ApiRequest = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: req.method ?? "GET",
      credentials: "same-origin",
      cache: "no-store",
      headers: {
        accept: "application/json",
        ...(req.body !== undefined ? { "content-type": "application/json" } : {}),
      },
      body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
      signal: req.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, "network", "Outpost did not answer: check the network and try again");
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const body = (json ?? {}) as ErrorBody;
    const retry = Number(res.headers.get("retry-after"));
    throw new ApiError(
      res.status,
      typeof body.error?.code === "string" ? body.error.code : `http_${res.status}`,
      typeof body.error?.message === "string" ? body.error.message : `Request failed (HTTP ${res.status})`,
      toIssues(body.error?.issues),
      Number.isFinite(retry) && retry > 0 ? retry : null,
    );
  }
  return json as T;
}

/** Don't retry what will fail the same way again (4xx); do retry network blips and 5xx. */
export function shouldRetry(failureCount: number, err: unknown): boolean {
  if (isApiError(err) && err.status >= 400 && err.status < 500) return false;
  return failureCount < 2;
}

export function errorMessage(err: unknown): string {
  if (isApiError(err)) return err.message;
  if (err instanceof Error) return err.message;
  return "Something went wrong";
}
