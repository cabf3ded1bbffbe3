import { beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decodeMcpNameHeader, stripOptionalWhitespace } from './mcp-name-header.js';

/** A header value, and what the guard must read in it (`undefined`: an invalid sentinel, to refuse). */
type Row = [name: string, header: string, decoded: string | undefined];

const sentinel = (text: string) => `=?base64?${Buffer.from(text, 'utf8').toString('base64')}?=`;

const PLAIN: Row[] = [
  ['a plain name', 'create_todo', 'create_todo'],
  ['an empty value', '', ''],
  ['leading and trailing spaces', '  create_todo  ', 'create_todo'],
  ['leading and trailing tabs', '\tcreate_todo\t', 'create_todo'],
  ['mixed spaces and tabs', ' \t \tcreate_todo\t \t', 'create_todo'],
  ['only spaces and tabs', ' \t ', ''],
  ['inner spaces (kept)', ' create  todo ', 'create  todo'],
  ['a no-break space (not HTTP whitespace)', '\u00a0create_todo\u00a0', '\u00a0create_todo\u00a0'],
  ['an em space', '\u2003create_todo', '\u2003create_todo'],
  ['an ideographic space', 'create_todo\u3000', 'create_todo\u3000'],
  ['a byte order mark', '\ufeffcreate_todo', '\ufeffcreate_todo'],
  ['a vertical tab and a form feed', '\u000bcreate_todo\u000c', '\u000bcreate_todo\u000c'],
  ['a line feed and a carriage return', '\ncreate_todo\r', '\ncreate_todo\r'],
  ['a NUL', '\u0000create_todo', '\u0000create_todo'],
  ['__proto__', '__proto__', '__proto__'],
  ['constructor', ' constructor ', 'constructor'],
  ['a 100 000-character name', 'n'.repeat(100_000), 'n'.repeat(100_000)],
  ['the prefix without the suffix', '=?base64?Y3JlYXRlX3RvZG8=', '=?base64?Y3JlYXRlX3RvZG8='],
  ['the suffix without the prefix', 'Y3JlYXRlX3RvZG8=?=', 'Y3JlYXRlX3RvZG8=?='],
  ['the prefix alone', '=?base64?', '=?base64?'],
  ['an upper-case prefix (not a sentinel)', '=?BASE64?Y3JlYXRlX3RvZG8=?=', '=?BASE64?Y3JlYXRlX3RvZG8=?='],
  ['a sentinel behind a no-break space', '\u00a0=?base64?%%%?=', '\u00a0=?base64?%%%?='],
  ['a sentinel and more after it', '=?base64?Y3JlYXRlX3RvZG8=?= x', '=?base64?Y3JlYXRlX3RvZG8=?= x'],
];

const VALID_SENTINELS: Row[] = [
  ['an ASCII name', '=?base64?Y3JlYXRlX3RvZG8=?=', 'create_todo'],
  ['a sentinel wrapped in spaces and tabs', ' \t=?base64?Y3JlYXRlX3RvZG8=?=\t ', 'create_todo'],
  ['a two-byte UTF-8 name', sentinel('créer_tâche'), 'créer_tâche'],
  ['a three-byte UTF-8 name', '=?base64?5pel5pys6Kqe?=', '日本語'],
  ['a four-byte UTF-8 name (an emoji)', '=?base64?8J+TnQ==?=', '📝'],
  ['a payload using + (standard alphabet)', '=?base64?fn5+?=', '~~~'],
  ['a payload using / (standard alphabet)', '=?base64?Pz8/?=', '???'],
  ['CR LF in the decoded name', '=?base64?YQ0KYg==?=', 'a\r\nb'],
  ['a NUL in the decoded name', '=?base64?AA==?=', '\u0000'],
  ['spaces inside the decoded name (kept)', '=?base64?IHgg?=', ' x '],
  [
    'a sentinel inside a sentinel (decoded once)',
    sentinel('=?base64?Y3JlYXRlX3RvZG8=?='),
    '=?base64?Y3JlYXRlX3RvZG8=?=',
  ],
  ['constructor', '=?base64?Y29uc3RydWN0b3I=?=', 'constructor'],
  ['__proto__', '=?base64?X19wcm90b19f?=', '__proto__'],
  ['a 30 000-character name', sentinel('AAA'.repeat(10_000)), 'AAA'.repeat(10_000)],
  ['the empty sentinel =?base64??=', '=?base64??=', ''],
  ['=?base64?= (prefix and suffix share the ?: an empty payload)', '=?base64?=', ''],
  // Edge cases on which only agreement with the MCP SDK matters (checked against it below):
  ['non-zero padding bits (QR== reads as QQ==)', '=?base64?QR==?=', 'A'],
  ['a UTF-8 byte order mark (dropped by the decoder)', '=?base64?77u/eA==?=', 'x'],
];

const INVALID_SENTINELS: Row[] = [
  ['missing padding', '=?base64?Y3JlYXRlX3RvZG8?=', undefined],
  ['missing padding of two', '=?base64?QQ?=', undefined],
  ['one pad where two are due', '=?base64?QQ=?=', undefined],
  ['extra padding', '=?base64?Y3JlYXRlX3RvZG8==?=', undefined],
  ['three pad characters', '=?base64?Q===?=', undefined],
  ['only padding', '=?base64?====?=', undefined],
  ['a single pad character', '=?base64?=?=', undefined],
  ['padding in the middle', '=?base64?QQ==QQ==?=', undefined],
  ['a lone character', '=?base64?Q?=', undefined],
  ['characters outside the alphabet', '=?base64?%%%?=', undefined],
  ['an exclamation mark', '=?base64?Y3Jl!?=', undefined],
  ['an inner space', '=?base64?Y3Jl YXRl?=', undefined],
  ['a leading space inside the sentinel', '=?base64? Y3JlYXRl?=', undefined],
  ['an inner line feed', '=?base64?Y3Jl\nYXRl?=', undefined],
  ['a no-break space in the payload', '=?base64?Y3Jl\u00a0YXRl?=', undefined],
  ['a non-ASCII letter in the payload', '=?base64?Y3Jl\u00e9YXR?=', undefined],
  ['base64url - instead of +', '=?base64?fn5-?=', undefined],
  ['base64url _ instead of /', '=?base64?Pz8_?=', undefined],
  ['a 100 000-character payload with one bad character at the end', `=?base64?${'QUFB'.repeat(25_000)}!?=`, undefined],
  ['a lone 0xFF byte (not UTF-8)', '=?base64?/w==?=', undefined],
  ['a lone continuation byte', '=?base64?gA==?=', undefined],
  ['a truncated three-byte sequence', '=?base64?4oI=?=', undefined],
  ['an overlong encoding of /', '=?base64?wK8=?=', undefined],
  ['an encoded UTF-16 surrogate', '=?base64?7aCA?=', undefined],
  ['a code point above U+10FFFF', '=?base64?9JCAgA==?=', undefined],
  ['valid UTF-8 followed by an invalid byte', '=?base64?Y3JlYXRl/w==?=', undefined],
];

const TABLE: Row[] = [...PLAIN, ...VALID_SENTINELS, ...INVALID_SENTINELS];

describe('decodeMcpNameHeader', () => {
  it.each(PLAIN)('reads %s as the value itself', (_name, header, decoded) => {
    expect(decodeMcpNameHeader(header)).toBe(decoded);
  });

  it.each(VALID_SENTINELS)('decodes a sentinel: %s', (_name, header, decoded) => {
    expect(decodeMcpNameHeader(header)).toBe(decoded);
  });

  it.each(INVALID_SENTINELS)('refuses a sentinel with %s (undefined)', (_name, header) => {
    expect(decodeMcpNameHeader(header)).toBeUndefined();
  });
});

describe('stripOptionalWhitespace', () => {
  it.each<[string, string]>([
    ['', ''],
    [' ', ''],
    ['\t\t', ''],
    [' a ', 'a'],
    ['\ta b\t', 'a b'],
    ['\u00a0a\u00a0', '\u00a0a\u00a0'],
    ['\r\na\r\n', '\r\na\r\n'],
    [' \u2028a', '\u2028a'],
  ])('strips %j to %j', (value, stripped) => {
    expect(stripOptionalWhitespace(value)).toBe(stripped);
  });
});

/** The SDK's server-side `Mcp-Name` check (internal to @modelcontextprotocol/server): undefined when it passes. */
type SdkNameCheck = (
  request: { protocolVersionHeader: string; mcpMethodHeader: string; mcpNameHeader: string },
  route: { messageKind: 'request'; message: { method: string; params: { name: string } }; classification: object },
) => { cell: string } | undefined;

/** Finds the SDK's `validateStandardRequestHeaders` in its bundle (by its function name: chunk names are hashed). */
async function loadSdkNameCheck(): Promise<SdkNameCheck> {
  const dist = join(process.cwd(), 'node_modules', '@modelcontextprotocol', 'server', 'dist');
  const chunk = readdirSync(dist).find(
    (file) =>
      file.endsWith('.mjs') &&
      readFileSync(join(dist, file), 'utf8').includes('function validateStandardRequestHeaders('),
  );
  if (chunk === undefined) throw new Error(`validateStandardRequestHeaders not found in ${dist}`);
  const exports = (await import(pathToFileURL(join(dist, chunk)).href)) as Record<string, unknown>;
  const check = Object.values(exports).find(
    (value) => typeof value === 'function' && value.name === 'validateStandardRequestHeaders',
  );
  if (check === undefined) throw new Error(`validateStandardRequestHeaders is not exported by ${chunk}`);
  return check as SdkNameCheck;
}

describe('decodeMcpNameHeader against the MCP SDK (@modelcontextprotocol/server)', () => {
  let sdkCheck: SdkNameCheck;

  beforeAll(async () => {
    sdkCheck = await loadSdkNameCheck();
  });

  /** The SDK's verdict on a tools/call of `tool` carrying the `Mcp-Name` header. */
  function sdkVerdict(header: string, tool: string): string {
    const outcome = sdkCheck(
      { protocolVersionHeader: '2026-07-28', mcpMethodHeader: 'tools/call', mcpNameHeader: header },
      { messageKind: 'request', message: { method: 'tools/call', params: { name: tool } }, classification: {} },
    );
    return outcome === undefined ? 'pass' : outcome.cell;
  }

  it('runs the SDK check for real (a plain name that matches passes, one that differs is a mismatch)', () => {
    expect(sdkVerdict('create_todo', 'create_todo')).toBe('pass');
    expect(sdkVerdict('create_todo', 'delete_todo')).toBe('name-header-mismatch');
    expect(sdkVerdict('=?base64?%%%?=', 'create_todo')).toBe('name-header-invalid-encoding');
  });

  it.each(TABLE)('reads %s as the SDK does', (_name, header, decoded) => {
    expect(decodeMcpNameHeader(header)).toBe(decoded);
    if (decoded === undefined) {
      expect(sdkVerdict(header, 'create_todo')).toBe('name-header-invalid-encoding');
    } else {
      expect(sdkVerdict(header, decoded)).toBe('pass');
      expect(sdkVerdict(header, `${decoded}#`)).toBe('name-header-mismatch');
    }
  });
});
