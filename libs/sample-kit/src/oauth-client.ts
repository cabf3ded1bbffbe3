// @nestjs-mcp-oauth/sample-kit/oauth-client: an OAuth client for the embedded development authorization server
// (npm run token, the end-to-end suites), apart from the app code so that loading it loads no server.
export { authorizeHeadlessly } from './dev-auth/authorize-headlessly.js';
export { HeadlessOAuthClient, type HeadlessOAuthClientOptions } from './dev-auth/headless-oauth-client.js';
