import 'reflect-metadata';
import { serveSample } from '@nestjs-mcp-oauth/sample-kit';
import { createMcpNestSampleApp } from './create-mcp-nest-sample-app.js';

void serveSample('nestjs-mcp-oauth sample MCP server on @rekog/mcp-nest', createMcpNestSampleApp);
