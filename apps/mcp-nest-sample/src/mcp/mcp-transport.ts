import { StreamableHttpTransport } from '@rekog/mcp-nest';

/**
 * The sample's MCP transport: stateless Streamable HTTP answering JSON, on both protocol eras (2025-era requests and
 * 2026-07-28 ones). Its route is served by {@link McpHttpController}, a Nest controller, so nestjs-mcp-oauth's guard
 * runs before it (mcp-nest would otherwise mount `/mcp` itself, outside Nest's router: the library refuses to start
 * then).
 */
export const mcpTransport = new StreamableHttpTransport({ statefulMode: false, protocol: 'dual' });
