import { Logger } from '@nestjs/common';
import { writeSync } from 'node:fs';
import type { McpOAuthEventLevel, McpOAuthEventSink } from './event-sink.js';

const LEVEL_NAMES: Record<McpOAuthEventLevel, string> = { log: 'info', warn: 'warn', debug: 'debug', error: 'error' };
/** Buffered bytes past which a write happens at once rather than at the end of the tick. */
const FLUSH_ABOVE = 64 * 1024;

/**
 * Event lines as JSON, one per line, on stdout: `{"time":<ms>,"level":"info","context":"McpOAuth","event":...}`.
 * The cheap structured sink (`eventLog: 'json-lines'`, the default): lines of one event-loop tick are written together
 * in one write (a busy server writes per tick, not per request), the rest at once when the process exits, so no event
 * is lost on a normal exit or a crash. Honours the app's Nest log levels (`logger: false` or `['error']` silence it).
 */
export class JsonLinesEventSink implements McpOAuthEventSink {
  private buffer = '';
  private scheduled = false;
  private readonly flushAtExit = () => this.flushSync();

  constructor(private readonly output: { write(chunk: string): unknown; fd?: number } = process.stdout) {
    process.once('exit', this.flushAtExit);
  }

  write(level: McpOAuthEventLevel, line: Readonly<Record<string, unknown>>): void {
    if (!Logger.isLevelEnabled(level)) return;
    // The line's own fields after the fixed ones, without copying the line: `{"time":...,` + `"event":...}`.
    this.buffer += `{"time":${Date.now()},"level":"${LEVEL_NAMES[level]}","context":"McpOAuth",${JSON.stringify(line).slice(1)}\n`;
    if (this.buffer.length > FLUSH_ABOVE) return this.flush();
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Writes what is buffered now. */
  flush(): void {
    this.scheduled = false;
    if (this.buffer === '') return;
    const chunk = this.buffer;
    this.buffer = '';
    this.output.write(chunk);
  }

  /** Stops listening for the process exit (after a last flush). */
  close(): void {
    this.flush();
    process.removeListener('exit', this.flushAtExit);
  }

  private flushSync(): void {
    if (this.buffer === '') return;
    const chunk = this.buffer;
    this.buffer = '';
    if (this.output.fd !== undefined) writeSync(this.output.fd, chunk);
    else this.output.write(chunk);
  }
}
