/** A webhook authentication scheme: checks one request over its exact raw bytes, or throws a 401. */
export type HeaderLookup = (lowerCaseName: string) => string | undefined;

export interface VerifyInput {
  header: HeaderLookup;
  rawBody: Uint8Array;
  now: Date;
}

export interface SignatureVerifier {
  readonly scheme: 'standard-webhooks' | 'github' | 'bearer';
  /** Throws CAIRN_SIGNATURE_INVALID (naming the header at fault) or CAIRN_WEBHOOK_TIMESTAMP. */
  verify(input: VerifyInput): void;
}
