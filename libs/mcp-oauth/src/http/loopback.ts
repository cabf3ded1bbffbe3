/** True for `localhost`, `*.localhost`, 127.0.0.0/8 and `[::1]` (RFC 8252 §8.3 loopback hosts). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    host === '::1' ||
    /^127(?:\.\d{1,3}){3}$/.test(host)
  );
}
