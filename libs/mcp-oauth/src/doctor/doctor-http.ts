/** Default time allowed for one HTTP exchange (request and body), in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 5000;

/** Bodies are read up to this many bytes (metadata documents and MCP answers are small). */
const MAX_BODY_BYTES = 1_000_000;

/** One completed HTTP exchange. Redirects are never followed, so a 3xx is what the server answered. */
export interface HttpExchange {
  url: string;
  status: number;
  headers: Headers;
  /** The body as text, at most {@link MAX_BODY_BYTES} bytes (or up to where `until` stopped reading). */
  body: string;
}

/** A request that got no HTTP answer; `message` says why in words a user can act on (never a header value). */
export class DoctorHttpError extends Error {
  override readonly name = 'DoctorHttpError';
}

/** Options of {@link DoctorHttp}. */
export interface DoctorHttpOptions {
  fetch: typeof fetch;
  timeoutMs: number;
}

/**
 * The doctor's HTTP client: every exchange has a timeout covering request and body, redirects are reported rather
 * than followed (so a token is never sent anywhere but the URL it was given for), bodies are read with a size bound,
 * and network failures become {@link DoctorHttpError}s that say what to check (connection refused at which origin,
 * DNS, TLS, timeout).
 *
 * @example
 * const http = new DoctorHttp({ fetch, timeoutMs: 5000 });
 * const { status, headers, body } = await http.request('https://mcp.example.com/.well-known/oauth-protected-resource');
 */
export class DoctorHttp {
  constructor(private readonly options: DoctorHttpOptions) {}

  /** The time allowed for one exchange, in milliseconds. */
  get timeoutMs(): number {
    return this.options.timeoutMs;
  }

  /**
   * Sends one request and reads the body. `until` is called with the text read so far and may end the read early
   * (an SSE stream that stays open after the answer arrived).
   */
  async request(url: string, init: RequestInit = {}, until?: (bodySoFar: string) => boolean): Promise<HttpExchange> {
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const response = await this.options.fetch(url, { ...init, redirect: 'manual', signal });
      const body = await readBody(response, until);
      return { url, status: response.status, headers: response.headers, body };
    } catch (error) {
      throw new DoctorHttpError(describeRequestFailure(error, url, this.options.timeoutMs));
    }
  }
}

async function readBody(response: Response, until?: (bodySoFar: string) => boolean): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    bytes += value.byteLength;
    text += decoder.decode(value, { stream: true });
    if (bytes >= MAX_BODY_BYTES || until?.(text)) {
      await reader.cancel().catch(() => undefined);
      return text;
    }
  }
}

const TLS_ERROR = /CERT|SELF_SIGNED|TLS|SSL|UNABLE_TO_VERIFY/;

/** `name`, `message` and `cause` of a thrown value, read without `instanceof` (fetch may throw from another realm). */
function errorFields(error: unknown): { name?: string; message?: string; cause?: unknown } {
  if (typeof error !== 'object' || error === null) return {};
  const { name, message, cause } = error as { name?: unknown; message?: unknown; cause?: unknown };
  return {
    name: typeof name === 'string' ? name : undefined,
    message: typeof message === 'string' ? message : undefined,
    cause,
  };
}

/** Words for a request that got no answer: timeout, connection refused, DNS, TLS, or the runtime's own reason. */
export function describeRequestFailure(error: unknown, url: string, timeoutMs: number): string {
  const target = new URL(url);
  const { name, message, cause } = errorFields(error);
  if (name === 'TimeoutError' || name === 'AbortError') {
    return `no answer from ${url} within ${timeoutMs} ms (is the server up? pass --timeout <ms> to wait longer)`;
  }
  const causeFields = errorFields(cause);
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (code === 'ECONNREFUSED') {
    return `connection refused at ${url}: is the server running and listening on that host and port?`;
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return `host ${target.hostname} not found (DNS lookup failed): check the host name in ${url}`;
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
    return `the connection was closed before an answer to ${url}`;
  }
  if (typeof code === 'string' && TLS_ERROR.test(code)) {
    return `the TLS certificate of ${target.origin} was not accepted (${code}): serve a certificate clients trust`;
  }
  const reason = causeFields.message ?? message ?? String(error);
  return `request to ${url} failed: ${typeof code === 'string' ? `${code} ` : ''}${reason}`;
}
