/**
 * KmsKeyService: data keys from AWS KMS under the deployment's customer managed key. GenerateDataKey
 * returns a fresh AES-256 key and the same key wrapped by KMS; Decrypt unwraps it. Both carry an
 * encryption context (`purpose`), so a blob wrapped for another purpose, another key or altered in any
 * byte is refused by KMS — and reported as CAIRN_KEY_UNWRAP_FAILED, as the local key service does.
 * (S3 objects are encrypted by S3 itself with SSE-KMS; this port serves envelope encryption elsewhere,
 * e.g. backup chunks written to a target that is not S3.)
 */
import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { CairnError } from '../../core/errors.ts';
import type { DataKey, KeyService } from '../../ports/key-service.ts';
import { awsCall, sdkErrorName, translateAwsError } from './errors.ts';

const REFUSED = new Set(['InvalidCiphertextException', 'IncorrectKeyException', 'InvalidKeyUsageException']);

export interface KmsKeyServiceOptions {
  client: KMSClient;
  /** Key id, ARN or alias of the customer managed key. */
  keyId: string;
  /** Bound into every data key (KMS encryption context); default `cairn-data-key`. */
  purpose?: string;
}

export class KmsKeyService implements KeyService {
  private readonly context: Record<string, string>;

  constructor(private readonly o: KmsKeyServiceOptions) {
    this.context = { purpose: o.purpose ?? 'cairn-data-key' };
  }

  async generateDataKey(): Promise<DataKey> {
    const out = await awsCall('KMS GenerateDataKey', () =>
      this.o.client.send(
        new GenerateDataKeyCommand({ KeyId: this.o.keyId, KeySpec: 'AES_256', EncryptionContext: this.context }),
      ),
    );
    if (!out.Plaintext || out.Plaintext.length !== 32 || !out.CiphertextBlob) {
      throw new CairnError('CAIRN_AWS_UNAVAILABLE', 'unavailable', 'KMS GenerateDataKey returned no usable key.');
    }
    return { plaintext: out.Plaintext, wrapped: out.CiphertextBlob };
  }

  async unwrap(wrapped: Uint8Array): Promise<Uint8Array> {
    try {
      const out = await this.o.client.send(
        new DecryptCommand({ CiphertextBlob: wrapped, KeyId: this.o.keyId, EncryptionContext: this.context }),
      );
      if (!out.Plaintext || out.Plaintext.length !== 32) throw unwrapFailed();
      return out.Plaintext;
    } catch (err) {
      if (err instanceof CairnError) throw err;
      if (REFUSED.has(sdkErrorName(err) ?? '')) throw unwrapFailed(err);
      throw translateAwsError(err, 'KMS Decrypt');
    }
  }
}

const unwrapFailed = (cause?: unknown) =>
  new CairnError(
    'CAIRN_KEY_UNWRAP_FAILED',
    'internal',
    'The data key was not wrapped by this KMS key for this purpose (or was altered).',
    { cause },
  );
