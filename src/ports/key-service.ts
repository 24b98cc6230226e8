/** KeyService: data keys for envelope encryption. Local: a master key on disk. AWS: KMS GenerateDataKey. */
export interface DataKey {
  /** 32 bytes; keep only in memory, never log. */
  plaintext: Uint8Array;
  /** The data key wrapped by the master key; safe to store beside the ciphertext. */
  wrapped: Uint8Array;
}

export interface KeyService {
  generateDataKey(): Promise<DataKey>;
  /** Throws CairnError (CAIRN_KEY_UNWRAP_FAILED) when the wrapped key was not made by this master key. */
  unwrap(wrapped: Uint8Array): Promise<Uint8Array>;
}
