import { Controller } from '@nestjs/common';
import { McpHttpControllerFor } from '@rekog/mcp-nest';
import { mcpTransport } from './mcp-transport.js';

/** `POST /mcp` (and `GET` / `DELETE`): mcp-nest's transport behind Nest's router, so behind the global guard. */
@Controller('mcp')
export class McpHttpController extends McpHttpControllerFor(mcpTransport) {}
