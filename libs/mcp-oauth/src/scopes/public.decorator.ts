import { SetMetadata } from '@nestjs/common';
import { PUBLIC_ROUTE_METADATA } from './scopes.constants.js';

/**
 * Marks a controller or route as public: the global guard lets it through without a token. Every other route
 * of the app requires a valid access token (secure by default).
 *
 * @example
 * \@Public() \@Get('healthz') health() { return { status: 'ok' }; }
 */
export const Public = (): ClassDecorator & MethodDecorator => SetMetadata(PUBLIC_ROUTE_METADATA, true);
