import { isScopeToken } from '../scopes/scope-token.js';
import { isLoopbackHost } from '../http/loopback.js';

/**
 * Collects every problem of one options object, so the app stops with one message listing them all
 * ({@link McpOAuthConfigError}). Each check names the option and says what to do; the checks return a safe value
 * to keep checking the rest.
 */
export class OptionProblems {
  readonly list: string[] = [];

  add(problem: string): void {
    this.list.push(problem);
  }

  /** An absolute http(s) URL without fragment; `http:` only on loopback hosts when `requireHttps` is set. */
  url(name: string, value: unknown, requireHttps: boolean): URL | undefined {
    if (typeof value !== 'string' || value.trim() === '') {
      this.add(`${name}: is missing; set it to an absolute https URL.`);
      return undefined;
    }
    if (!URL.canParse(value)) {
      this.add(`${name}: "${value}" is not an absolute URL; include the scheme, e.g. https://example.com.`);
      return undefined;
    }
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      this.add(`${name}: "${value}" must use https (or http on a loopback host).`);
      return undefined;
    }
    if (value.includes('#')) {
      this.add(`${name}: "${value}" must not contain a fragment (#...); remove it.`);
      return undefined;
    }
    if (requireHttps && url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
      this.add(
        `${name}: "${value}" uses http on a non-loopback host; use https (http is accepted only for localhost, 127.0.0.0/8 and [::1]).`,
      );
      return undefined;
    }
    return url;
  }

  /** A number in `[min, max]` (whole when `integer`), else the fallback. */
  number(name: string, value: unknown, fallback: number, min: number, max: number, integer = false): number {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      this.add(`${name}: must be a number from ${min} to ${max} (got ${describe(value)}).`);
      return fallback;
    }
    if (integer && !Number.isInteger(value)) {
      this.add(`${name}: must be a whole number (got ${value}).`);
      return fallback;
    }
    return value;
  }

  /** An array of strings (empty when absent). */
  strings(name: string, value: unknown): string[] {
    if (value === undefined) return [];
    if (!Array.isArray(value) || Array.from(value).some((item) => typeof item !== 'string')) {
      this.add(`${name}: must be an array of strings (got ${describe(value)}).`);
      return [];
    }
    return [...(value as string[])];
  }

  /** `true` / `false`, else the fallback. */
  boolean(name: string, value: unknown, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') {
      this.add(`${name}: must be true or false (got ${describe(value)}); convert environment strings first.`);
      return fallback;
    }
    return value;
  }

  /** A non-empty string, or `undefined` when absent. */
  text(name: string, value: unknown): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.trim() === '') {
      this.add(`${name}: must be a non-empty string.`);
      return undefined;
    }
    return value;
  }

  /** One of the allowed string values, else the fallback. */
  oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T {
    if (value === undefined) return fallback;
    if (!allowed.includes(value as T)) {
      this.add(`${name}: must be one of ${allowed.map((item) => `'${item}'`).join(', ')} (got ${describe(value)}).`);
      return fallback;
    }
    return value as T;
  }

  /** `{ name: [scopes] }`; `keysAreScopes` also checks the keys (a scope hierarchy). */
  scopeMap(name: string, value: unknown, keysAreScopes: boolean): Record<string, string[]> {
    if (value === undefined) return {};
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.add(`${name}: must be an object mapping names to arrays of scopes, e.g. { "create_todo": ["todo:write"] }.`);
      return {};
    }
    const entries: Array<[string, string[]]> = [];
    for (const [key, scopes] of Object.entries(value)) {
      if (keysAreScopes && !isScopeToken(key)) {
        this.add(`${name}: key ${JSON.stringify(key)} is not a valid scope (no spaces or quotes).`);
        continue;
      }
      if (!Array.isArray(scopes) || Array.from(scopes).some((scope) => !isScopeToken(scope))) {
        this.add(`${name}.${key}: must be an array of scope strings without spaces.`);
        continue;
      }
      entries.push([key, [...scopes]]);
    }
    // fromEntries defines own properties: a key named "__proto__" stays an ordinary entry.
    return Object.fromEntries(entries);
  }
}

/** A value as it appears in a problem message (JSON, except what JSON cannot show). */
function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  return JSON.stringify(value) ?? String(value);
}
