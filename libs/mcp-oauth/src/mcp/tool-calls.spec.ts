import { describe, expect, it } from '@jest/globals';
import { InvalidRequestError } from '../guard/mcp-oauth.errors.js';
import { findToolCalls } from './tool-calls.js';

type Headers = Record<string, string | string[] | undefined>;

const call = (name: unknown, id: number | string = 1) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, arguments: {} },
});

describe('findToolCalls', () => {
  describe('JSON-RPC body only', () => {
    it.each<[string, unknown, string[]]>([
      ['a single tools/call', call('create_todo'), ['create_todo']],
      [
        'a batch with several calls and other messages',
        [
          { jsonrpc: '2.0', id: 1, method: 'initialize', params: { name: 'not-a-tool' } },
          call('list_todos', 2),
          { jsonrpc: '2.0', method: 'notifications/initialized' },
          call('create_todo', 3),
          { jsonrpc: '2.0', id: 4, result: {} },
          call('delete_todo', 5),
        ],
        ['list_todos', 'create_todo', 'delete_todo'],
      ],
      ['a batch calling one tool twice (listed once)', [call('a', 1), call('b', 2), call('a', 3)], ['a', 'b']],
      ['tools/list', { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { name: 'x' } }, []],
      ['initialize', { jsonrpc: '2.0', id: 1, method: 'initialize', params: { name: 'create_todo' } }, []],
      ['a method differing only in case', { jsonrpc: '2.0', id: 1, method: 'Tools/Call', params: { name: 'x' } }, []],
      ['a notification', { jsonrpc: '2.0', method: 'notifications/cancelled' }, []],
      ['a response', { jsonrpc: '2.0', id: 1, result: { content: [] } }, []],
      ['tools/call without params', { jsonrpc: '2.0', id: 1, method: 'tools/call' }, []],
      ['tools/call with null params', { jsonrpc: '2.0', id: 1, method: 'tools/call', params: null }, []],
      ['tools/call with array params', { jsonrpc: '2.0', id: 1, method: 'tools/call', params: ['create_todo'] }, []],
      ['tools/call with string params', { jsonrpc: '2.0', id: 1, method: 'tools/call', params: 'create_todo' }, []],
      ['tools/call without a name', { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { arguments: {} } }, []],
      ['a numeric name', call(42), []],
      ['an array name', call(['create_todo']), []],
      ['an object name', call({ toString: () => 'create_todo' }), []],
      ['a null name', call(null), []],
      ['an empty batch', [], []],
      ['a batch of junk', [null, 1, 'tools/call', [call('nested')]], []],
      ['no body', undefined, []],
      ['a null body', null, []],
      ['a string body', '{"method":"tools/call","params":{"name":"x"}}', []],
    ])('finds the tools of %s', (_name, body, expected) => {
      expect(findToolCalls(body, {})).toEqual(expected);
    });
  });

  describe('Mcp-Method / Mcp-Name headers (MCP 2026-07-28)', () => {
    it.each<[string, unknown, Headers, string[]]>([
      [
        'headers agreeing with a single call',
        call('create_todo'),
        { 'mcp-method': 'tools/call', 'mcp-name': 'create_todo' },
        ['create_todo'],
      ],
      [
        'headers naming one of the calls of a batch',
        [call('a', 1), call('b', 2)],
        { 'mcp-method': 'tools/call', 'mcp-name': 'b' },
        ['a', 'b'],
      ],
      [
        'header values as arrays (first one read)',
        call('x'),
        { 'mcp-method': ['tools/call'], 'mcp-name': ['x', 'y'] },
        ['x'],
      ],
      ['headers only, no body', undefined, { 'mcp-method': 'tools/call', 'mcp-name': 'delete_todo' }, ['delete_todo']],
      [
        'headers only, empty object body',
        {},
        { 'mcp-method': 'tools/call', 'mcp-name': 'delete_todo' },
        ['delete_todo'],
      ],
      ['Mcp-Method without Mcp-Name', call('x'), { 'mcp-method': 'tools/call' }, ['x']],
      ['Mcp-Name without Mcp-Method', call('x'), { 'mcp-name': 'y' }, ['x']],
    ])('returns the tools for %s', (_name, body, headers, expected) => {
      expect(findToolCalls(body, headers)).toEqual(expected);
    });

    it.each<[string, unknown, Headers]>([
      ['a single call of another tool', call('list_todos'), { 'mcp-method': 'tools/call', 'mcp-name': 'delete_todo' }],
      ['an Mcp-Method other than the body method', call('x'), { 'mcp-method': 'tools/list', 'mcp-name': 'y' }],
      [
        'Mcp-Method tools/call on a tools/list body',
        { jsonrpc: '2.0', id: 1, method: 'tools/list' },
        { 'mcp-method': 'tools/call', 'mcp-name': 'create_todo' },
      ],
      [
        'a batch not calling the named tool',
        [call('a', 1), call('b', 2)],
        { 'mcp-method': 'tools/call', 'mcp-name': 'c' },
      ],
      [
        'a batch without any call',
        [{ jsonrpc: '2.0', id: 1, method: 'tools/list' }],
        { 'mcp-method': 'tools/call', 'mcp-name': 'c' },
      ],
      ['a name differing only in case', call('create_todo'), { 'mcp-method': 'tools/call', 'mcp-name': 'Create_Todo' }],
    ])('rejects headers disagreeing with the body: %s', (_name, body, headers) => {
      expect(() => findToolCalls(body, headers)).toThrow(InvalidRequestError);
      try {
        findToolCalls(body, headers);
      } catch (error) {
        expect(error).toMatchObject({ status: 400, errorCode: 'invalid_request' });
        expect((error as Error).message).toMatch(/Mcp-(Name|Method)/);
      }
    });
  });
});
