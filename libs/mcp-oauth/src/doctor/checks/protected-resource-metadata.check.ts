import { type DoctorContext, type FetchedResourceMetadata } from '../doctor-context.js';
import { DoctorHttpError } from '../doctor-http.js';
import { type CheckOutcome, fail, pass } from '../doctor-report.js';
import { DOCTOR_PROTOCOL_VERSION } from '../mcp-json-rpc.js';
import { pathInsertedMetadataUrl, rootMetadataUrl } from '../well-known-urls.js';
import { describeUnexpectedStatus, isJsonContentType, parseJsonObject, quoteForMessage } from './check-helpers.js';

/**
 * The `Origin` the doctor reads metadata with: a page on another site, as a browser-based MCP client is. Metadata
 * is public, so any origin must be able to read it.
 */
export const METADATA_PROBE_ORIGIN = 'https://doctor.nestjs-mcp-oauth.invalid';

/** What reading one metadata URL found: the document when it is a JSON object, and every problem. */
interface MetadataReading {
  metadata?: FetchedResourceMetadata;
  problems: string[];
}

/**
 * GETs a protected resource metadata URL as a browser-based MCP client would (with `Origin` and
 * `MCP-Protocol-Version`) and checks: 200, JSON (RFC 9728 §3.2), readable cross-origin (`Access-Control-Allow-Origin`
 * `*` or the Origin echoed).
 */
async function readMetadataAt(context: DoctorContext, url: string): Promise<MetadataReading> {
  let exchange;
  try {
    exchange = await context.http.request(url, {
      headers: {
        accept: 'application/json',
        'mcp-protocol-version': DOCTOR_PROTOCOL_VERSION,
        origin: METADATA_PROBE_ORIGIN,
      },
    });
  } catch (error) {
    if (!(error instanceof DoctorHttpError)) throw error;
    return { problems: [error.message] };
  }
  if (exchange.status !== 200) return { problems: [`GET ${url} answered ${describeUnexpectedStatus(exchange)}`] };
  const problems: string[] = [];
  const contentType = exchange.headers.get('content-type');
  if (!isJsonContentType(contentType)) {
    problems.push(
      `GET ${url} answered Content-Type ${contentType ? quoteForMessage(contentType) : '(none)'}; serve it as application/json (RFC 9728 §3.2)`,
    );
  }
  const document = parseJsonObject(exchange.body);
  if (!document) problems.push(`the body of ${url} is not a JSON object (RFC 9728 §3.2)`);
  const allowOrigin = exchange.headers.get('access-control-allow-origin');
  if (allowOrigin !== '*' && allowOrigin !== METADATA_PROBE_ORIGIN) {
    problems.push(
      `browser-based clients cannot read ${url}: for Origin ${METADATA_PROBE_ORIGIN} it answered Access-Control-Allow-Origin ${allowOrigin === null ? '(none)' : quoteForMessage(allowOrigin)}; send Access-Control-Allow-Origin: * (the document is public)`,
    );
  }
  return { metadata: document ? { url, document } : undefined, problems };
}

/** Where the 401 challenge's `resource_metadata` points relative to `url`, as a note for the message. */
async function challengeNote(context: DoctorContext, url: string, metadata?: FetchedResourceMetadata) {
  const pointed = context.challengeMetadataUrl;
  if (pointed === undefined) return { note: '', problems: [] as string[] };
  if (pointed === url) return { note: ' (the URL the 401 challenge points to)', problems: [] };
  if (pointed === rootMetadataUrl(context.mcpUrl)) {
    return {
      note: `; the 401 challenge's resource_metadata points to the root URL ${pointed}, which clients follow first`,
      problems: [],
    };
  }
  const reading = await readMetadataAt(context, pointed);
  context.challengeMetadata = reading.metadata;
  if (reading.problems.length > 0) {
    return {
      note: '',
      problems: [
        `the 401 challenge's resource_metadata points to ${pointed}, which clients follow first, but ${reading.problems.join('; ')}; point resource_metadata to ${url} (RFC 9728 §5.1)`,
      ],
    };
  }
  const ownResource = metadata?.document.resource;
  const pointedResource = reading.metadata?.document.resource;
  if (metadata && ownResource !== pointedResource) {
    return {
      note: '',
      problems: [
        `the 401 challenge's resource_metadata points to ${pointed}, whose resource ${JSON.stringify(pointedResource)} differs from ${JSON.stringify(ownResource)} here; serve one document and point resource_metadata to ${url}`,
      ],
    };
  }
  return {
    note: `; note: the 401 challenge's resource_metadata points elsewhere, to ${pointed} (readable${metadata ? ', same resource' : ''}), and clients follow it first`,
    problems: [],
  };
}

/**
 * `prm-path`: RFC 9728 metadata at the path-inserted well-known URL (RFC 9728 §3.1:
 * `https://h/.well-known/oauth-protected-resource/mcp` for `https://h/mcp`), which MCP clients try first when the
 * challenge names no URL (MCP Authorization, Protected Resource Metadata Discovery Requirements); 200, JSON,
 * CORS-readable. Also says where the 401 challenge's `resource_metadata` points when that is another URL, and fails
 * when that URL does not serve the same document.
 */
export async function checkPathMetadata(context: DoctorContext): Promise<CheckOutcome> {
  const url = pathInsertedMetadataUrl(context.mcpUrl);
  const reading = await readMetadataAt(context, url);
  context.pathMetadata = reading.metadata;
  const { note, problems } = await challengeNote(context, url, reading.metadata);
  if (reading.problems.length > 0) {
    const fix = reading.metadata
      ? ''
      : `; serve the RFC 9728 metadata at this path-inserted URL: MCP clients try it first (RFC 9728 §3.1, MCP Authorization)`;
    return fail([`${reading.problems.join('; ')}${fix}`, ...problems].join('; ') + note);
  }
  if (problems.length > 0) return fail(problems.join('; '));
  return pass(`metadata at ${url}: 200, JSON, readable cross-origin${note}`);
}

/**
 * `prm-root`: RFC 9728 metadata at the root well-known URL (`https://h/.well-known/oauth-protected-resource`), the
 * fallback MCP clients try after the path-inserted one (MCP Authorization, Protected Resource Metadata Discovery
 * Requirements); 200, JSON, CORS-readable.
 */
export async function checkRootMetadata(context: DoctorContext): Promise<CheckOutcome> {
  const url = rootMetadataUrl(context.mcpUrl);
  const reading = await readMetadataAt(context, url);
  context.rootMetadata = reading.metadata;
  if (reading.problems.length > 0) {
    const fix = reading.metadata
      ? ''
      : '; serve the metadata at the root URL too: MCP clients fall back to it when the path-inserted URL fails (MCP Authorization, Protected Resource Metadata Discovery Requirements)';
    return fail(`${reading.problems.join('; ')}${fix}`);
  }
  const note = context.challengeMetadataUrl === url ? ' (the URL the 401 challenge points to)' : '';
  return pass(`metadata at ${url}: 200, JSON, readable cross-origin${note}`);
}
