// The one error type the app throws on purpose. Anything else reaching the
// handler wrapper is a bug and is answered with a generic 500.

export const ERROR_STATUS = {
  bad_request: 400,
  validation_failed: 422,
  unauthenticated: 401,
  forbidden: 403,
  csrf_rejected: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  url_refused: 422,
  kubeconfig_rejected: 422,
  /** not a well-formed kubeconfig document at all: YAML syntax, aliases, merge keys */
  kubeconfig_malformed: 400,
  cluster_unreachable: 502,
  upstream_timeout: 504,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldIssue {
  /** dotted path of the offending input field, "" for the whole input */
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[];
  readonly retryAfterSeconds?: number;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { issues?: FieldIssue[]; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = "AppError";
    this.code = code;
    this.issues = opts.issues ?? [];
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): { error: { code: ErrorCode; message: string; issues: FieldIssue[] } } {
    return { error: { code: this.code, message: this.message, issues: this.issues } };
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
