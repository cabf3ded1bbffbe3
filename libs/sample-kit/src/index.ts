// @nestjs-mcp-oauth/sample-kit: what the sample MCP servers of this repository share (private, never published).
// The OAuth client for the embedded development authorization server: '@nestjs-mcp-oauth/sample-kit/oauth-client'.

// Environment and authorization mode
export { type SampleEnv, sampleEnvFrom, trustProxySetting, validateSampleEnv } from './config/sample-env.js';
export { type EmbeddedAuthSettings, embeddedAuthSettings, SAMPLE_SCOPES } from './config/auth-mode.js';
export { sampleOAuthModule, sampleOAuthOptions } from './oauth/sample-oauth.module.js';
export { LIMITER_STORAGE, LimiterStorageModule } from './limiter/limiter-storage.module.js';
export { SharedLimiterStorage } from './limiter/shared-limiter-storage.js';

// App creation and start
export { type CreateSampleAppOptions, createSampleNestApp, type SampleApp } from './app/create-sample-nest-app.js';
export { sampleBanner } from './app/sample-banner.js';
export { serveSample } from './app/serve-sample.js';
export { HealthController } from './health/health.controller.js';
export type {
  EmbeddedAuthorizationServer,
  EmbeddedAuthorizationServerOptions,
} from './dev-auth/embedded-authorization-server.js';

// The todo domain and its tools' contract
export { type Todo, TodoNotFoundError, TodoStore } from './todos/todo.store.js';
export { noArguments, TODO_TOOLS, type TodoToolContract, type TodoToolName } from './todos/todo-tool-contract.js';
export { type WhoAmI, whoamiOf } from './todos/whoami.js';
