export { IngestService, eventIdFor, type IngestSourceConfig, type WebhookRequest } from './service.ts';
export { resolveSecret, type SecretIo, type SecretRef } from './secrets.ts';
export { signStandardWebhook, standardWebhooksKey, standardWebhooksVerifier } from './standard-webhooks.ts';
export { githubVerifier, signGithub } from './github.ts';
export { bearerVerifier } from './bearer.ts';
export type { HeaderLookup, SignatureVerifier, VerifyInput } from './verifier.ts';
