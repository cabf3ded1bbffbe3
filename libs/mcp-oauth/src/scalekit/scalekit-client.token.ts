import { Inject } from '@nestjs/common';

/**
 * Injection token of the `Scalekit` client of `@scalekit-sdk/node`, created from the module's Scalekit settings
 * (`null` when no API credentials are given and the `'scalekit-sdk'` verifier is not used).
 */
export const SCALEKIT_CLIENT = Symbol('nestjs-mcp-oauth:ScalekitClient');

/**
 * Injects the `Scalekit` client (type the parameter with `Scalekit | null` from `@scalekit-sdk/node`).
 *
 * @example
 * constructor(\@InjectScalekitClient() private readonly scalekit: Scalekit | null) {}
 */
export const InjectScalekitClient = (): PropertyDecorator & ParameterDecorator => Inject(SCALEKIT_CLIENT);
