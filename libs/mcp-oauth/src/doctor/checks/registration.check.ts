import { type DoctorContext } from '../doctor-context.js';
import { type CheckOutcome, fail, pass } from '../doctor-report.js';
import { isHttpUrl } from './check-helpers.js';
import { forEachAuthorizationServer } from './authorization-server-metadata.check.js';

/**
 * `registration`: each authorization server lets MCP clients it has never seen get a client id, through RFC 7591
 * dynamic client registration (`registration_endpoint`, RFC 8414 §2) or Client ID Metadata Documents
 * (`client_id_metadata_document_supported: true`) (MCP Authorization, Client Registration Approaches).
 */
export function checkRegistration(context: DoctorContext): Promise<CheckOutcome> {
  return forEachAuthorizationServer(context, ({ metadata }) => {
    const ways: string[] = [];
    if (metadata.client_id_metadata_document_supported === true) ways.push('Client ID Metadata Documents');
    if (isHttpUrl(metadata.registration_endpoint)) {
      ways.push(`dynamic client registration at ${metadata.registration_endpoint}`);
    }
    if (ways.length > 0) return pass(ways.join(' and '));
    const endpoint =
      metadata.registration_endpoint === undefined
        ? 'no registration_endpoint'
        : `registration_endpoint ${JSON.stringify(metadata.registration_endpoint)} is not an absolute URL`;
    return fail(
      `${endpoint} and no client_id_metadata_document_supported: true, so MCP clients cannot register themselves; enable RFC 7591 dynamic client registration or Client ID Metadata Documents (MCP Authorization, Client Registration Approaches)`,
    );
  });
}
