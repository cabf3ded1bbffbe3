const REDACTED = '[token]';

/**
 * Removes a token from a text the doctor is about to show (a server may echo the token in an error description):
 * the whole token and each of its dot-separated parts of 16 characters or more. The doctor never puts a token in a
 * message itself; this is the last line of defence (RFC 6750 §5.3: do not leak bearer tokens).
 *
 * @example
 * redactToken('bad token abc.def.ghi', 'abc.def.ghi'); // 'bad token [token]'
 */
export function redactToken(text: string, token: string | undefined): string {
  if (!token) return text;
  const secrets = [token, ...token.split('.').filter((part) => part.length >= 16)];
  return secrets.reduce((redacted, secret) => redacted.split(secret).join(REDACTED), text);
}
