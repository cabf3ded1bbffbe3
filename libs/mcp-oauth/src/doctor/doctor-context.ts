import type { DoctorHttp } from './doctor-http.js';

/** A protected resource metadata document that answered 200 with a JSON object (RFC 9728 §3.2). */
export interface FetchedResourceMetadata {
  url: string;
  document: Record<string, unknown>;
}

/** An authorization server whose metadata was found with an `issuer` equal to its `authorization_servers` entry. */
export interface DiscoveredAuthorizationServer {
  issuer: string;
  metadataUrl: string;
  metadata: Record<string, unknown>;
}

/**
 * What the checks share while one doctor run goes through them in order: the input, the HTTP client, and what
 * earlier checks learned (later checks read it, or report which earlier check to fix first).
 */
export interface DoctorContext {
  /** The MCP URL exactly as the user gave it (what a client would connect to). */
  readonly mcpUrlInput: string;
  readonly mcpUrl: URL;
  readonly http: DoctorHttp;
  /** Only sent to the MCP URL itself, never shown. */
  readonly token?: string;
  /** Set when the MCP endpoint gave no HTTP answer at all: later checks report it instead of waiting again. */
  unreachable?: string;
  /** Parameters of the 401 Bearer challenge to an anonymous request, when it parsed. */
  challenge?: Record<string, string>;
  /** The challenge's `resource_metadata`, when it is an absolute http(s) URL. */
  challengeMetadataUrl?: string;
  pathMetadata?: FetchedResourceMetadata;
  rootMetadata?: FetchedResourceMetadata;
  /** The document at the challenge's `resource_metadata` when that is neither well-known URL and it answered. */
  challengeMetadata?: FetchedResourceMetadata;
  /** Authorization servers whose metadata is usable (issuer matches). */
  authorizationServers?: DiscoveredAuthorizationServer[];
}

/**
 * The metadata a client ends up using: the one the challenge points to (clients follow `resource_metadata` first,
 * RFC 9728 §5.1), else the path-inserted one, else the root one (MCP Authorization, Protected Resource Metadata
 * Discovery Requirements).
 */
export function effectiveMetadata(context: DoctorContext): FetchedResourceMetadata | undefined {
  const byUrl = [context.challengeMetadata, context.pathMetadata, context.rootMetadata].find(
    (metadata) => metadata !== undefined && metadata.url === context.challengeMetadataUrl,
  );
  return byUrl ?? context.pathMetadata ?? context.rootMetadata;
}

/** The reason later checks give when no protected resource metadata could be read. */
export const NO_METADATA = 'no protected resource metadata could be read; fix prm-path (or prm-root) first';
