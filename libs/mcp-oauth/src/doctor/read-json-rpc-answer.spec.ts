import { describe, expect, it } from '@jest/globals';
import { readJsonRpcAnswer } from './read-json-rpc-answer.js';

describe('readJsonRpcAnswer', () => {
  it('reads a JSON answer and a batch', () => {
    expect(readJsonRpcAnswer('application/json', '{"jsonrpc":"2.0","id":2,"result":{"tools":[]}}', 2)).toEqual({
      jsonrpc: '2.0',
      id: 2,
      result: { tools: [] },
    });
    expect(
      readJsonRpcAnswer(
        'application/json; charset=utf-8',
        '[{"jsonrpc":"2.0","id":1,"result":1},{"id":2,"error":{}}]',
        2,
      ),
    ).toEqual({ id: 2, error: {} });
  });

  it('finds the answer among SSE events (notifications first, CRLF lines, multi-line data)', () => {
    const body =
      'event: message\r\ndata: {"jsonrpc":"2.0","method":"notifications/progress"}\r\n\r\n' +
      'id: 7\ndata: {"jsonrpc":"2.0",\ndata: "id":3,"result":{"ok":true}}\n\n';
    expect(readJsonRpcAnswer('text/event-stream', body, 3)).toEqual({ jsonrpc: '2.0', id: 3, result: { ok: true } });
  });

  it('is undefined while the event is incomplete, for another id, or for a body that is not JSON', () => {
    expect(readJsonRpcAnswer('text/event-stream', 'data: {"jsonrpc":"2.0","id":3,"result":{}}\n', 3)).toBeUndefined();
    expect(readJsonRpcAnswer('text/event-stream', 'data: {"jsonrpc":"2.0","id":4,"result":{}}\n\n', 3)).toBeUndefined();
    expect(readJsonRpcAnswer('application/json', '<html>', 3)).toBeUndefined();
    expect(readJsonRpcAnswer('application/json', '{"jsonrpc":"2.0","id":3}', 3)).toBeUndefined();
  });
});
