import 'reflect-metadata';
import { serveSample } from '@nestjs-mcp-oauth/sample-kit';
import { createSampleApp } from './create-sample-app.js';

void serveSample('nestjs-mcp-oauth sample MCP server', createSampleApp);
