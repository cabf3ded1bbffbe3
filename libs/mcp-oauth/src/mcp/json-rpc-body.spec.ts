import { describe, expect, it } from '@jest/globals';
import { InvalidRequestError } from '../errors/failures.js';
import { readJsonRpcBody } from './json-rpc-body.js';
import { MAX_BATCH_MESSAGES, MAX_JSON_DEPTH } from './mcp.constants.js';

function toolCall(name: unknown, id: number | string = 1): Record<string, unknown> {
  return { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {} } };
}

/** `depth` nested arrays or objects (a lone `[]` or `{}` is depth 1), built without recursion. */
function nested(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = kind === 'array' ? [] : {};
  for (let level = 1; level < depth; level += 1) value = kind === 'array' ? [value] : { child: value };
  return value;
}

function refusal(body: unknown): InvalidRequestError {
  try {
    readJsonRpcBody(body);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    return error as InvalidRequestError;
  }
  throw new Error('expected readJsonRpcBody to throw');
}

describe('readJsonRpcBody', () => {
  describe('single messages', () => {
    it('reads a tools/call', () => {
      expect(readJsonRpcBody(toolCall('create_todo'))).toEqual({
        toolCalls: ['create_todo'],
        singleMethod: 'tools/call',
        singleToolName: 'create_todo',
        isBatch: false,
      });
    });

    it.each<[string, unknown, unknown]>([
      ['tools/list', { jsonrpc: '2.0', id: 1, method: 'tools/list' }, 'tools/list'],
      ['initialize', { jsonrpc: '2.0', id: 1, method: 'initialize', params: { name: 'x' } }, 'initialize'],
      [
        'prompts/get with a name',
        { jsonrpc: '2.0', id: 1, method: 'prompts/get', params: { name: 'p' } },
        'prompts/get',
      ],
      ['a notification', { jsonrpc: '2.0', method: 'notifications/initialized' }, 'notifications/initialized'],
      ['a response (no method)', { jsonrpc: '2.0', id: 1, result: {} }, undefined],
      ['an upper-case TOOLS/CALL', { method: 'TOOLS/CALL', params: { name: 'x' } }, 'TOOLS/CALL'],
      ['tools/call with a trailing space', { method: 'tools/call ', params: { name: 'x' } }, 'tools/call '],
      ['a numeric method', { method: 42, params: { name: 'x' } }, 42],
      ['an array method', { method: ['tools/call'], params: { name: 'x' } }, ['tools/call']],
      ['an empty object', {}, undefined],
    ])('ignores %s (no tool call) and reports its method', (_name, body, method) => {
      expect(readJsonRpcBody(body)).toEqual({
        toolCalls: [],
        singleMethod: method,
        singleToolName: undefined,
        isBatch: false,
      });
    });

    it.each<[string, unknown]>([
      ['no params', { method: 'tools/call' }],
      ['null params', { method: 'tools/call', params: null }],
      ['string params', { method: 'tools/call', params: 'create_todo' }],
      ['numeric params', { method: 'tools/call', params: 7 }],
      ['array params', { method: 'tools/call', params: ['create_todo'] }],
      ['params without a name', { method: 'tools/call', params: { arguments: {} } }],
      ['a numeric name', { method: 'tools/call', params: { name: 42 } }],
      ['a null name', { method: 'tools/call', params: { name: null } }],
      ['an array name', { method: 'tools/call', params: { name: ['create_todo'] } }],
      ['an object name', { method: 'tools/call', params: { name: { toString: 'create_todo' } } }],
      ['a boolean name', { method: 'tools/call', params: { name: true } }],
      [
        'a name only on the prototype of params',
        { method: 'tools/call', params: JSON.parse('{"__proto__":{"name":"x"}}') },
      ],
    ])('ignores a tools/call with %s', (_name, body) => {
      const read = readJsonRpcBody(body);
      expect(read.toolCalls).toEqual([]);
      expect(read.singleToolName).toBeUndefined();
      expect(read.singleMethod).toBe('tools/call');
      expect(read.isBatch).toBe(false);
    });

    it.each<[string, string]>([
      ['an empty name', ''],
      ['a name with spaces and CR LF', ' create todo\r\n'],
      ['__proto__', '__proto__'],
      ['constructor', 'constructor'],
      ['a non-ASCII name', 'créer_tâche_📝'],
      ['a 100 000-character name', 'n'.repeat(100_000)],
    ])('keeps %s exactly as the tool name', (_name, name) => {
      const read = readJsonRpcBody(toolCall(name));
      expect(read.toolCalls).toEqual([name]);
      expect(read.singleToolName).toBe(name);
    });

    it.each<[string, unknown]>([
      ['null', null],
      ['a string', 'tools/call'],
      ['a number', 42],
      ['a boolean', true],
      ['undefined', undefined],
    ])('reads %s as nothing to authorize', (_name, body) => {
      expect(readJsonRpcBody(body)).toEqual({
        toolCalls: [],
        singleMethod: undefined,
        singleToolName: undefined,
        isBatch: false,
      });
    });
  });

  describe('batches', () => {
    it('lists every tools/call in order, repeats kept, and ignores the other messages', () => {
      const body = [
        toolCall('b', 1),
        { jsonrpc: '2.0', id: 2, method: 'tools/list' },
        toolCall('a', 3),
        null,
        'tools/call',
        42,
        [toolCall('nested_batch_is_not_read', 4)],
        { method: 'tools/call', params: { name: 7 } },
        toolCall('b', 5),
        { jsonrpc: '2.0', method: 'notifications/progress' },
        toolCall('a', 6),
      ];
      expect(readJsonRpcBody(body)).toEqual({
        toolCalls: ['b', 'a', 'b', 'a'],
        singleMethod: undefined,
        singleToolName: undefined,
        isBatch: true,
      });
    });

    it('reads an empty batch', () => {
      expect(readJsonRpcBody([])).toEqual({
        toolCalls: [],
        singleMethod: undefined,
        singleToolName: undefined,
        isBatch: true,
      });
    });

    it('gives no single method or tool for a batch of one tools/call', () => {
      const read = readJsonRpcBody([toolCall('create_todo')]);
      expect(read).toEqual({
        toolCalls: ['create_todo'],
        singleMethod: undefined,
        singleToolName: undefined,
        isBatch: true,
      });
    });

    it(`accepts exactly ${MAX_BATCH_MESSAGES} messages`, () => {
      const body = Array.from({ length: MAX_BATCH_MESSAGES }, (_, index) => toolCall(`tool_${index}`, index));
      const read = readJsonRpcBody(body);
      expect(read.toolCalls).toHaveLength(MAX_BATCH_MESSAGES);
      expect(read.toolCalls[0]).toBe('tool_0');
      expect(read.toolCalls[99]).toBe('tool_99');
    });

    it.each([MAX_BATCH_MESSAGES + 1, 1000, 100_000])('refuses a batch of %p messages (batch_too_large)', (length) => {
      const error = refusal(Array.from({ length }, () => 0));
      expect(error.reason).toBe('batch_too_large');
      expect(error.message).toBe(
        `A JSON-RPC batch may hold at most ${MAX_BATCH_MESSAGES} messages (this one holds ${length}).`,
      );
      expect(error.aboutCredentials).toBe(false);
    });

    it('checks the batch size before the depth', () => {
      const body = Array.from({ length: MAX_BATCH_MESSAGES + 1 }, () => nested(MAX_JSON_DEPTH + 10, 'array'));
      expect(refusal(body).reason).toBe('batch_too_large');
    });
  });

  describe('nesting depth', () => {
    it('is 128 levels at most', () => {
      expect(MAX_JSON_DEPTH).toBe(128);
    });

    it.each(['array', 'object'] as const)('accepts a body of %ss nested exactly 128 deep', (kind) => {
      expect(readJsonRpcBody(nested(MAX_JSON_DEPTH, kind)).toolCalls).toEqual([]);
    });

    it.each(['array', 'object'] as const)('refuses a body of %ss nested 129 deep (json_too_deep)', (kind) => {
      const error = refusal(nested(MAX_JSON_DEPTH + 1, kind));
      expect(error.reason).toBe('json_too_deep');
      expect(error.message).toBe('The request body nests arrays and objects deeper than 128 levels.');
    });

    it.each(['array', 'object'] as const)('counts the levels of %ss in params.arguments from the body', (kind) => {
      // body (1) > params (2) > arguments (3...): 126 levels of arguments make 128 in all.
      const ok = { method: 'tools/call', params: { name: 'create_todo', arguments: nested(MAX_JSON_DEPTH - 2, kind) } };
      expect(readJsonRpcBody(ok).toolCalls).toEqual(['create_todo']);
      const deep = {
        method: 'tools/call',
        params: { name: 'create_todo', arguments: nested(MAX_JSON_DEPTH - 1, kind) },
      };
      expect(refusal(deep).reason).toBe('json_too_deep');
    });

    it('counts the batch array as one level', () => {
      const message = (depth: number) => ({
        method: 'tools/call',
        params: { name: 't', arguments: nested(depth, 'object') },
      });
      expect(readJsonRpcBody([toolCall('x'), message(MAX_JSON_DEPTH - 3)]).toolCalls).toEqual(['x', 't']);
      expect(refusal([toolCall('x'), message(MAX_JSON_DEPTH - 2)]).reason).toBe('json_too_deep');
    });

    it('refuses arrays and objects alternating past the limit', () => {
      let value: unknown = 'leaf';
      for (let level = 0; level <= MAX_JSON_DEPTH; level += 1)
        value = level % 2 === 0 ? [value] : { [`k${level}`]: value };
      expect(refusal(value).reason).toBe('json_too_deep');
    });

    it('does not count strings, numbers and nulls as levels', () => {
      const body = nested(MAX_JSON_DEPTH - 1, 'array') as unknown[];
      let innermost: unknown[] = body;
      while (innermost.length > 0) innermost = innermost[0] as unknown[];
      innermost.push('x'.repeat(1000), 1, null, true);
      expect(() => readJsonRpcBody([body])).not.toThrow();
    });

    it('finds one deep branch among many shallow ones', () => {
      const body = { method: 'tools/call', params: { name: 't', arguments: {} as Record<string, unknown> } };
      for (let index = 0; index < 1000; index += 1) body.params.arguments[`k${index}`] = { a: [1, 2, { b: 3 }] };
      body.params.arguments.deep = nested(MAX_JSON_DEPTH, 'object');
      expect(refusal(body).reason).toBe('json_too_deep');
    });

    it('refuses a 100 000-level body without overflowing the stack', () => {
      expect(refusal(nested(100_000, 'array')).reason).toBe('json_too_deep');
    });
  });
});
