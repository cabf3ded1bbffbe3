import type { INestApplication } from '@nestjs/common';
import { type IEntryNestModule, NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

/** A Nest HTTP platform the library supports. */
export type HttpPlatform = 'express' | 'fastify';

/** Both platforms, for `describe.each(HTTP_PLATFORMS)`: every parameterised suite runs Express first, then Fastify. */
export const HTTP_PLATFORMS: readonly HttpPlatform[] = ['express', 'fastify'];

/** `NestFactory.create` on the given platform (Fastify with its defaults), not logging, errors thrown, not aborting. */
export function createNestApp(module: IEntryNestModule, platform: HttpPlatform): Promise<INestApplication> {
  const options = { logger: false as const, abortOnError: false };
  return platform === 'fastify'
    ? NestFactory.create(module, new FastifyAdapter(), options)
    : NestFactory.create(module, options);
}
