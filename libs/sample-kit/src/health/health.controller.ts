import { Controller, Get } from '@nestjs/common';
import { Public } from 'nestjs-mcp-oauth';

/** `GET /healthz`: public liveness probe. */
@Public()
@Controller('healthz')
export class HealthController {
  @Get()
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
