/** KmsKeyService against a mocked KMS client (aws-sdk-client-mock): no KMS emulator here. */
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { KmsKeyService } from '../../src/adapters/aws/kms-key-service.ts';

const kms = mockClient(KMSClient);
afterEach(() => kms.reset());
const sdkError = (name: string, status = 400) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

describe('KmsKeyService', () => {
  const keys = () => new KmsKeyService({ client: new KMSClient({ region: 'us-east-1' }), keyId: 'alias/cairn' });

  it('asks KMS for an AES-256 data key bound to its purpose, and returns both forms', async () => {
    kms
      .on(GenerateDataKeyCommand)
      .resolves({ Plaintext: new Uint8Array(32).fill(7), CiphertextBlob: new Uint8Array([1, 2, 3]) });
    const key = await keys().generateDataKey();
    expect(key.plaintext).toHaveLength(32);
    expect([...key.wrapped]).toEqual([1, 2, 3]);
    expect(kms.commandCalls(GenerateDataKeyCommand)[0]!.args[0].input).toEqual({
      KeyId: 'alias/cairn',
      KeySpec: 'AES_256',
      EncryptionContext: { purpose: 'cairn-data-key' },
    });
  });

  it('unwraps a data key with the same key and encryption context', async () => {
    kms.on(DecryptCommand).resolves({ Plaintext: new Uint8Array(32).fill(9) });
    expect((await keys().unwrap(new Uint8Array([1, 2, 3])))[0]).toBe(9);
    expect(kms.commandCalls(DecryptCommand)[0]!.args[0].input).toMatchObject({
      KeyId: 'alias/cairn',
      EncryptionContext: { purpose: 'cairn-data-key' },
    });
  });

  it('reports a blob KMS refuses as CAIRN_KEY_UNWRAP_FAILED, like the local key service', async () => {
    kms.on(DecryptCommand).rejects(sdkError('InvalidCiphertextException'));
    await expect(keys().unwrap(new Uint8Array([9]))).rejects.toMatchObject({
      code: 'CAIRN_KEY_UNWRAP_FAILED',
      name: 'CairnError',
    });
  });

  it('translates throttling into CAIRN_AWS_THROTTLED with a retry hint', async () => {
    kms.on(GenerateDataKeyCommand).rejects(sdkError('ThrottlingException'));
    await expect(keys().generateDataKey()).rejects.toMatchObject({
      code: 'CAIRN_AWS_THROTTLED',
      kind: 'unavailable',
      details: { retryAfterSeconds: 1 },
    });
  });
});
