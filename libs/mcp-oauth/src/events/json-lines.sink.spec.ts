import { afterEach, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { JsonLinesEventSink } from './json-lines.sink.js';
import { McpOAuthEvents } from './mcp-oauth-events.js';

/** An output that records each write (one write = one flush). */
function recorder() {
  const writes: string[] = [];
  return { writes, output: { write: (chunk: string) => void writes.push(chunk) } };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('JsonLinesEventSink', () => {
  afterEach(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose', 'fatal']));

  it('writes one JSON object per line, every event of a tick in one write', async () => {
    const { writes, output } = recorder();
    const sink = new JsonLinesEventSink(output);
    const events = new McpOAuthEvents(sink, undefined);
    for (let index = 0; index < 3; index += 1) {
      events.emit({
        type: 'tool_call',
        tool: `t${index}`,
        subject: 'alice',
        clientId: undefined,
        grantedScopes: ['a'],
        outcome: 'completed',
        status: 200,
        durationMs: 1,
        correlationId: 'c',
      });
    }
    expect(writes).toEqual([]);
    await tick();
    expect(writes).toHaveLength(1);
    const lines = writes[0]
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.tool)).toEqual(['t0', 't1', 't2']);
    expect(lines[0]).toEqual({
      time: expect.any(Number),
      level: 'info',
      context: 'McpOAuth',
      event: 'mcp_oauth.tool_call',
      tool: 't0',
      subject: 'alice',
      grantedScopes: ['a'],
      outcome: 'completed',
      status: 200,
      durationMs: 1,
      correlationId: 'c',
    });
    sink.close();
  });

  it("honours Nest's log levels: nothing below the enabled ones, nothing with logging off", async () => {
    const { writes, output } = recorder();
    const sink = new JsonLinesEventSink(output);
    Logger.overrideLogger(['warn', 'error']);
    sink.write('log', { event: 'mcp_oauth.denied' });
    sink.write('warn', { event: 'mcp_oauth.rate_limited' });
    await tick();
    expect(writes.join('')).not.toContain('mcp_oauth.denied');
    expect(writes.join('')).toContain('"level":"warn"');
    sink.close();
  });

  it('writes what is buffered at once past 64 KiB, and on close', async () => {
    const { writes, output } = recorder();
    const sink = new JsonLinesEventSink(output);
    const padding = 'x'.repeat(1024);
    for (let index = 0; index < 70; index += 1) sink.write('log', { event: 'mcp_oauth.denied', padding });
    expect(writes).toHaveLength(1);
    sink.write('log', { event: 'mcp_oauth.denied', last: true });
    sink.close();
    expect(writes).toHaveLength(2);
    expect(writes[1]).toContain('"last":true');
    expect(writes.join('').trimEnd().split('\n')).toHaveLength(71);
  });

  it('never throws when a hook does; the failure is written by name only', async () => {
    const { writes, output } = recorder();
    const sink = new JsonLinesEventSink(output);
    const events = new McpOAuthEvents(sink, () => {
      throw new TypeError('secret detail');
    });
    expect(() => events.emit({ type: 'keys_refreshed', jwksUri: 'https://as/jwks', keys: 1 })).not.toThrow();
    sink.close();
    expect(writes.join('')).toContain('"event":"mcp_oauth.hook_failed","error":"TypeError"');
    expect(writes.join('')).not.toContain('secret detail');
  });
});
