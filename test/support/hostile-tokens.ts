import { createHmac, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

/** base64url without padding (RFC 7515 §2). */
export function b64url(value: string | Buffer | Uint8Array): string {
  return Buffer.from(value).toString('base64url');
}

/** One JWS segment: a string is encoded as is, anything else as JSON. */
export function segment(value: unknown): string {
  return b64url(typeof value === 'string' ? value : JSON.stringify(value));
}

/** `header.payload` of a compact JWS. */
export function signingInput(header: unknown, payload: unknown): string {
  return `${segment(header)}.${segment(payload)}`;
}

/** A compact JWS MACed with HS256/384/512 under `secret` (the key-confusion attack when `secret` is a public key). */
export function hmacJwt(
  algorithm: 'HS256' | 'HS384' | 'HS512',
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  secret: string | Buffer,
): string {
  const input = signingInput({ ...header, alg: algorithm }, payload);
  const hash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[algorithm];
  return `${input}.${b64url(createHmac(hash, secret).update(input).digest())}`;
}

/** A compact JWS signed under a private key: PKCS#1 v1.5 SHA-256 (RS256) for RSA, ECDSA P-256 (ES256) for EC. */
export function signJwt(privateKey: KeyObject, header: Record<string, unknown>, payload: unknown): string {
  const input = signingInput(header, payload);
  const signature =
    privateKey.asymmetricKeyType === 'ec'
      ? sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' })
      : sign('sha256', Buffer.from(input), privateKey);
  return `${input}.${b64url(signature)}`;
}

/** A fresh key pair nobody else knows, with its public JWK. */
export function attackerKeyPair(kind: 'rsa' | 'ec' = 'rsa', kid = 'attacker-key') {
  const { privateKey, publicKey } =
    kind === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: kind === 'ec' ? 'ES256' : 'RS256', use: 'sig' };
  return { privateKey, publicKey, publicJwk };
}

/** `length` random base64url characters (random, so no window of it can appear in a log line by chance). */
export function randomB64url(length: number): string {
  return randomBytes(Math.ceil((length * 3) / 4) + 3)
    .toString('base64url')
    .slice(0, length);
}

/** Replaces the character at `index` of `value` with a different base64url character. */
export function flipChar(value: string, index: number, replacementSeed = 0): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let replacement = alphabet[replacementSeed % alphabet.length];
  if (replacement === value[index]) replacement = alphabet[(replacementSeed + 1) % alphabet.length];
  return `${value.slice(0, index)}${replacement}${value.slice(index + 1)}`;
}
