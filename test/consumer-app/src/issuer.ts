import { LocalIssuer, parseBearerChallenge } from 'nestjs-mcp-oauth/testing';

/**
 * The testing kit as an app's own tests use it: a local Scalekit-like issuer on 127.0.0.1 and tokens for the app's
 * resource. Prints one JSON line, then serves keys until stdin closes.
 */
async function main(): Promise<void> {
  const issuer = await LocalIssuer.start({ scalekitResourceId: String(process.env.SCALEKIT_RESOURCE_ID) });
  const audience = String(process.env.MCP_SERVER_URL);
  const challenge = parseBearerChallenge('Bearer error="insufficient_scope", scope="todo:write"');
  process.stdout.write(
    `${JSON.stringify({
      url: issuer.url,
      challenge,
      tokens: {
        read: issuer.mintToken({ audience, scopes: ['todo:read'], subject: 'alice' }),
        write: issuer.mintToken({ audience, scopes: ['todo:write'], subject: 'alice' }),
        foreignAudience: issuer.mintToken({ audience: 'https://elsewhere.example/mcp', scopes: ['todo:write'] }),
      },
    })}\n`,
  );
  process.stdin.resume();
  process.stdin.on('end', () => void issuer.stop().then(() => process.exit(0)));
}

void main();
