/** Removes every trailing `/` (a loop, not a regular expression: linear on any input). */
export function trimTrailingSlashes(value: string): string {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 0x2f) end -= 1;
  return value.slice(0, end);
}

/**
 * A path as Express and Fastify match routes by default: case-insensitive, trailing slashes ignored
 * (`/MCP/` -> `/mcp`). Linear in the path length.
 */
export function normalizeRoutePath(path: string): string {
  return trimTrailingSlashes(path).toLowerCase() || '/';
}

/**
 * The path of a request target as a router reads it: the part before `?` or `#`, of an origin-form target
 * (`/mcp?x` -> `/mcp`), or of an absolute-form one (`http://host/mcp` -> `/mcp`, RFC 9112 §3.2.2).
 */
export function pathOfTarget(target: string): string {
  let path = target;
  if (!path.startsWith('/')) {
    const schemeEnd = path.indexOf('://');
    if (schemeEnd < 0) return path;
    // The authority ends at the first '/', '?' or '#' (RFC 3986 §3.2): a path only when '/' comes first.
    let authorityEnd = schemeEnd + 3;
    while (authorityEnd < path.length && !'/?#'.includes(path[authorityEnd])) authorityEnd += 1;
    path = path[authorityEnd] === '/' ? path.slice(authorityEnd) : '/';
  }
  let end = path.length;
  const query = path.indexOf('?');
  const fragment = path.indexOf('#');
  if (query >= 0) end = query;
  if (fragment >= 0 && fragment < end) end = fragment;
  return path.slice(0, end);
}
