import type { HttpExchange } from '../doctor-http.js';

const MAX_QUOTED = 160;

/** True for an absolute `http:` or `https:` URL. */
export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** A server-provided value quoted for a message, shortened (messages stay one readable line). */
export function quoteForMessage(value: string): string {
  const oneLine = value.replace(/\s+/g, ' ');
  return JSON.stringify(oneLine.length > MAX_QUOTED ? `${oneLine.slice(0, MAX_QUOTED)}...` : oneLine);
}

/** A status in words, with where a redirect points (the doctor does not follow redirects; clients mostly do not). */
export function describeUnexpectedStatus(exchange: HttpExchange): string {
  if (exchange.status >= 300 && exchange.status < 400) {
    const location = exchange.headers.get('location');
    return `${exchange.status} (a redirect${location ? ` to ${quoteForMessage(location)}` : ''}; MCP clients do not follow redirects across origins: use the final URL)`;
  }
  return String(exchange.status);
}

/** True when the Content-Type is JSON (`application/json` or a `+json` type). */
export function isJsonContentType(contentType: string | null): boolean {
  return /^\s*application\/([\w.-]+\+)?json\s*(;|$)/i.test(contentType ?? '');
}

/** The body parsed as a JSON object, or `undefined` (not JSON, or not an object). */
export function parseJsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The comma-separated members of a header value, trimmed and lower-cased (`Access-Control-*` lists). */
export function headerList(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter(Boolean);
}
