import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE_METADATA, REQUIRED_SCOPES_METADATA } from '../scopes/scopes.constants.js';

/** What the decorators say about a route. */
export interface RouteMetadata {
  /** `@Public()` on the handler or its class. */
  isPublic: boolean;
  /** `@RequireScopes` of the class and of the handler, merged. */
  scopes: readonly string[];
}

/** Reads a route's {@link RouteMetadata} once per controller class and handler (subclasses share inherited handlers). */
export class RouteMetadataReader {
  private readonly cache = new WeakMap<object, WeakMap<object, RouteMetadata>>();

  constructor(private readonly reflector: Reflector) {}

  of(context: ExecutionContext): RouteMetadata {
    const handler = context.getHandler();
    const controller = context.getClass();
    let byHandler = this.cache.get(controller);
    if (!byHandler) {
      byHandler = new WeakMap();
      this.cache.set(controller, byHandler);
    }
    let metadata = byHandler.get(handler);
    if (!metadata) {
      const targets = [handler, controller];
      metadata = {
        isPublic: this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE_METADATA, targets) === true,
        scopes: this.reflector.getAllAndMerge<string[]>(REQUIRED_SCOPES_METADATA, targets) ?? [],
      };
      byHandler.set(handler, metadata);
    }
    return metadata;
  }
}
