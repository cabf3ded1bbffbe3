// 'nestjs-mcp-oauth/mcp-sdk': serve MCP with the official MCP TypeScript SDK behind the guard.
export { McpSdkController } from './mcp-sdk.controller.js';
export { McpSdkHandler } from './mcp-sdk-handler.js';
export { InjectMcpServerFactory, MCP_SERVER_FACTORY, type McpServerFactory } from './mcp-server-factory.js';
export { callerOf, toSdkAuthInfo } from './sdk-auth-info.js';
