import { describe, expect, it } from '@jest/globals';
import { InvalidRequestError } from '../errors/failures.js';
import { readJsonRpcBody } from './json-rpc-body.js';
import { crossCheckMcpHeaders } from './mcp-request-headers.js';

type Headers = Record<string, string | string[] | undefined>;

const toolCall = (name: unknown, id = 1) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name } });
const toolsList = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
const CREATE_TODO_BASE64 = '=?base64?Y3JlYXRlX3RvZG8=?=';

/** The reason of the refusal, or 'ok' when the headers agree with the body. */
function outcome(body: unknown, headers: Headers): string {
  try {
    crossCheckMcpHeaders(readJsonRpcBody(body), headers);
    return 'ok';
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    const failure = error as InvalidRequestError;
    expect(failure.aboutCredentials).toBe(false);
    return failure.reason;
  }
}

describe('crossCheckMcpHeaders', () => {
  describe('Mcp-Method on a single message', () => {
    it.each<[string, unknown, Headers, string]>([
      ['no routing headers', toolCall('create_todo'), {}, 'ok'],
      ['an agreeing tools/call', toolCall('create_todo'), { 'mcp-method': 'tools/call' }, 'ok'],
      ['an agreeing tools/list', toolsList, { 'mcp-method': 'tools/list' }, 'ok'],
      ['an agreeing method wrapped in spaces and tabs', toolsList, { 'mcp-method': ' \ttools/list\t ' }, 'ok'],
      [
        'a header naming another method',
        toolCall('create_todo'),
        { 'mcp-method': 'tools/list' },
        'mcp_header_mismatch',
      ],
      ['tools/list dressed as tools/call', toolsList, { 'mcp-method': 'tools/call' }, 'mcp_header_mismatch'],
      ['a header in another case', toolCall('x'), { 'mcp-method': 'Tools/Call' }, 'mcp_header_mismatch'],
      ['a header with a no-break space', toolCall('x'), { 'mcp-method': 'tools/call\u00a0' }, 'mcp_header_mismatch'],
      ['an empty header', toolCall('x'), { 'mcp-method': '' }, 'mcp_header_mismatch'],
      ['a numeric method and its digits', { method: 42 }, { 'mcp-method': '42' }, 'mcp_header_mismatch'],
      ['a message without a method (a response)', { jsonrpc: '2.0', id: 1, result: {} }, { 'mcp-method': 'x' }, 'ok'],
      ['a non-object body', 'tools/call', { 'mcp-method': 'tools/list' }, 'ok'],
      [
        'a repeated header (joined with ", ")',
        toolCall('x'),
        { 'mcp-method': ['tools/call', 'tools/call'] },
        'mcp_header_mismatch',
      ],
      ['a one-element header array', toolCall('x'), { 'mcp-method': ['tools/call'] }, 'ok'],
      ['a 100 000-character header', toolCall('x'), { 'mcp-method': 'm'.repeat(100_000) }, 'mcp_header_mismatch'],
    ])('%s', (_name, body, headers, expected) => {
      expect(outcome(body, headers)).toBe(expected);
    });

    it('says which header disagrees', () => {
      expect(() => crossCheckMcpHeaders(readJsonRpcBody(toolsList), { 'mcp-method': 'tools/call' })).toThrow(
        'The Mcp-Method header does not match the method of the request body.',
      );
    });
  });

  describe('Mcp-Method on a batch', () => {
    it.each<[string, Headers]>([
      ['tools/call', { 'mcp-method': 'tools/call' }],
      ['tools/list', { 'mcp-method': 'tools/list' }],
      ['garbage', { 'mcp-method': '\u0000garbage' }],
    ])('is not compared with the messages (%s)', (_name, headers) => {
      expect(outcome([toolsList, toolCall('a')], headers)).toBe('ok');
    });
  });

  describe('Mcp-Name on a single message', () => {
    it.each<[string, unknown, Headers, string]>([
      ['an agreeing plain name', toolCall('create_todo'), { 'mcp-name': 'create_todo' }, 'ok'],
      ['an agreeing plain name with OWS', toolCall('create_todo'), { 'mcp-name': '\t create_todo \t' }, 'ok'],
      ['an agreeing Base64 name', toolCall('create_todo'), { 'mcp-name': CREATE_TODO_BASE64 }, 'ok'],
      ['an agreeing non-ASCII Base64 name', toolCall('日本語'), { 'mcp-name': '=?base64?5pel5pys6Kqe?=' }, 'ok'],
      [
        'an agreeing name with both headers',
        toolCall('create_todo'),
        { 'mcp-method': 'tools/call', 'mcp-name': CREATE_TODO_BASE64 },
        'ok',
      ],
      ['a different plain name', toolCall('create_todo'), { 'mcp-name': 'list_todos' }, 'mcp_header_mismatch'],
      ['a different Base64 name', toolCall('list_todos'), { 'mcp-name': CREATE_TODO_BASE64 }, 'mcp_header_mismatch'],
      ['a name in another case', toolCall('create_todo'), { 'mcp-name': 'Create_Todo' }, 'mcp_header_mismatch'],
      ['an empty header', toolCall('create_todo'), { 'mcp-name': '' }, 'mcp_header_mismatch'],
      ['an empty header and an empty name', toolCall(''), { 'mcp-name': '' }, 'ok'],
      [
        'a Base64 sentinel taken literally by the body',
        toolCall(CREATE_TODO_BASE64),
        { 'mcp-name': CREATE_TODO_BASE64 },
        'mcp_header_mismatch',
      ],
      ['the name of a non-tools/call message', toolsList, { 'mcp-name': 'anything' }, 'ok'],
      ['a tools/call without a string name', toolCall(42), { 'mcp-name': '42' }, 'ok'],
      ['a header naming __proto__', toolCall('constructor'), { 'mcp-name': '__proto__' }, 'mcp_header_mismatch'],
      ['__proto__ on both sides', toolCall('__proto__'), { 'mcp-name': '__proto__' }, 'ok'],
      ['a repeated header (joined with ", ")', toolCall('a, b'), { 'mcp-name': ['a', 'b'] }, 'ok'],
      ['a repeated header against one of its values', toolCall('a'), { 'mcp-name': ['a', 'a'] }, 'mcp_header_mismatch'],
      ['an undefined header', toolCall('create_todo'), { 'mcp-name': undefined }, 'ok'],
    ])('%s', (_name, body, headers, expected) => {
      expect(outcome(body, headers)).toBe(expected);
    });

    it('checks Mcp-Method first', () => {
      expect(() =>
        crossCheckMcpHeaders(readJsonRpcBody(toolCall('a')), { 'mcp-method': 'tools/list', 'mcp-name': 'b' }),
      ).toThrow('The Mcp-Method header does not match the method of the request body.');
    });

    it('says which header disagrees', () => {
      expect(() => crossCheckMcpHeaders(readJsonRpcBody(toolCall('a')), { 'mcp-name': 'b' })).toThrow(
        'The Mcp-Name header does not match the tool named in the request body.',
      );
    });
  });

  describe('Mcp-Name on a batch', () => {
    const batch = [toolCall('create_todo', 1), toolsList, toolCall('list_todos', 2)];

    it.each<[string, unknown, Headers, string]>([
      [
        'the first call, with Mcp-Method tools/call',
        batch,
        { 'mcp-method': 'tools/call', 'mcp-name': 'create_todo' },
        'ok',
      ],
      [
        'the last call, in Base64',
        batch,
        { 'mcp-method': 'tools/call', 'mcp-name': '=?base64?bGlzdF90b2Rvcw==?=' },
        'ok',
      ],
      [
        'a tool not called, with Mcp-Method tools/call',
        batch,
        { 'mcp-method': 'tools/call', 'mcp-name': 'delete_todo' },
        'mcp_header_mismatch',
      ],
      ['a tool not called, without Mcp-Method', batch, { 'mcp-name': 'delete_todo' }, 'ok'],
      [
        'a tool not called, with Mcp-Method tools/list',
        batch,
        { 'mcp-method': 'tools/list', 'mcp-name': 'delete_todo' },
        'ok',
      ],
      [
        'a tool not called, with Mcp-Method tools/call in OWS',
        batch,
        { 'mcp-method': ' tools/call\t', 'mcp-name': 'delete_todo' },
        'mcp_header_mismatch',
      ],
      [
        'any name for an empty batch, with tools/call',
        [],
        { 'mcp-method': 'tools/call', 'mcp-name': 'x' },
        'mcp_header_mismatch',
      ],
      [
        'a name for a batch without calls',
        [toolsList],
        { 'mcp-method': 'tools/call', 'mcp-name': 'x' },
        'mcp_header_mismatch',
      ],
      [
        'a name of a call with a non-string name',
        [toolCall(['x'])],
        { 'mcp-method': 'tools/call', 'mcp-name': 'x' },
        'mcp_header_mismatch',
      ],
      [
        '__proto__ among the calls',
        [toolCall('__proto__')],
        { 'mcp-method': 'tools/call', 'mcp-name': '__proto__' },
        'ok',
      ],
      [
        'constructor, not among the calls',
        [toolCall('a')],
        { 'mcp-method': 'tools/call', 'mcp-name': 'constructor' },
        'mcp_header_mismatch',
      ],
    ])('%s', (_name, body, headers, expected) => {
      expect(outcome(body, headers)).toBe(expected);
    });
  });

  describe('an invalid Base64 sentinel', () => {
    it.each<[string, unknown, Headers]>([
      ['on a single tools/call', toolCall('create_todo'), { 'mcp-name': '=?base64?Y3JlYXRlX3RvZG8?=' }],
      ['on a single tools/list', toolsList, { 'mcp-name': '=?base64?%%%?=' }],
      ['on a batch without Mcp-Method', [toolCall('a')], { 'mcp-name': '=?base64?fn5-?=' }],
      [
        'on a batch with Mcp-Method tools/call',
        [toolCall('a')],
        { 'mcp-method': 'tools/call', 'mcp-name': '=?base64?/w==?=' },
      ],
      ['wrapped in OWS', toolCall('a'), { 'mcp-name': ' =?base64?QQ?=\t' }],
      ['in a repeated header', toolCall('a'), { 'mcp-name': ['=?base64?QQ==?=', 'x?='] }],
    ])('is mcp_name_encoding %s', (_name, body, headers) => {
      expect(outcome(body, headers)).toBe('mcp_name_encoding');
    });

    it('says what is wrong', () => {
      expect(() => crossCheckMcpHeaders(readJsonRpcBody(toolsList), { 'mcp-name': '=?base64?%?=' })).toThrow(
        'The Mcp-Name header carries an invalid Base64 sentinel value.',
      );
    });
  });
});
