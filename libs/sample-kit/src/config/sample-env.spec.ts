import { describe, expect, it } from '@jest/globals';
import { validateSampleEnv } from './sample-env.js';

const SCALEKIT = { SCALEKIT_ENVIRONMENT_URL: 'https://acme.scalekit.com', SCALEKIT_RESOURCE_ID: 'res_1' };

function problemsOf(env: Record<string, string>): string {
  try {
    validateSampleEnv(env);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('validateSampleEnv', () => {
  it('defaults: port 3000 on 127.0.0.1, MCP_SERVER_URL from the port, limiter at 60, auth on', () => {
    expect(validateSampleEnv({})).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      MCP_SERVER_URL: 'http://localhost:3000/mcp',
      MCP_AUTH_FAILURES_PER_MINUTE: 60,
      MCP_BENCHMARK_AUTH_OFF: false,
    });
  });

  it.each([
    [{ HOST: '0.0.0.0' }, 'HOST:'],
    [{ HOST: '192.168.1.5' }, 'HOST:'],
    [{ MCP_SERVER_URL: 'https://mcp.example.com/mcp' }, 'MCP_SERVER_URL:'],
    [{ PORT: '0' }, 'PORT:'],
    [{ NODE_ENV: 'production' }, 'NODE_ENV=production'],
  ])('keeps the embedded authorization server local: %j is refused naming %s', (env, expected) => {
    const message = problemsOf(env);
    expect(message).toContain(expected);
    expect(message).toContain('SCALEKIT_');
  });

  it.each([
    [{ ...SCALEKIT, HOST: '0.0.0.0', MCP_SERVER_URL: 'https://mcp.example.com/mcp', NODE_ENV: 'production' }],
    [{ ...SCALEKIT, PORT: '8080' }],
  ])('accepts any host with Scalekit: %j', (env) => {
    expect(problemsOf(env)).toBe('');
  });

  it.each([
    [{ SCALEKIT_ENVIRONMENT_URL: 'https://acme.scalekit.com' }, 'SCALEKIT_RESOURCE_ID'],
    [{ ...SCALEKIT, MCP_SERVER_URL: 'not a url' }, 'MCP_SERVER_URL'],
    [{ ...SCALEKIT, PORT: 'abc' }, 'PORT'],
    [{ ...SCALEKIT, MCP_AUTH_FAILURES_PER_MINUTE: '-1' }, 'MCP_AUTH_FAILURES_PER_MINUTE'],
    [{ ...SCALEKIT, MCP_BENCHMARK_AUTH_OFF: 'yes' }, 'MCP_BENCHMARK_AUTH_OFF'],
  ])('%j fails naming %s', (env, variable) => {
    expect(problemsOf(env)).toContain(variable);
  });
});
