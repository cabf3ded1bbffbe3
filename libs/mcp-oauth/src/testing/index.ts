export {
  LocalIssuer,
  type LocalIssuerAlgorithm,
  type LocalIssuerOptions,
  type MintTokenOptions,
} from './local-issuer.js';
export { parseBearerChallenge } from './parse-bearer-challenge.js';
