/**
 * What s3rver cannot show about S3ObjectStore, against a mocked S3 client: SSE-KMS with the customer key
 * on every write and in a presigned PUT, and SDK errors translated at the edge.
 */
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../src/adapters/aws/s3-object-store.ts';

const s3 = mockClient(S3Client);
afterEach(() => s3.reset());
const client = () =>
  new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd';

async function* once(b: Buffer) {
  yield b;
}

describe('S3ObjectStore with a customer managed KMS key', () => {
  it('writes with SSE-KMS under the key, and the SHA-256 as checksum and metadata', async () => {
    s3.on(PutObjectCommand).resolves({});
    const info = await new S3ObjectStore({ client: client(), bucket: 'b', kmsKeyId: KEY }).put(
      'k',
      once(Buffer.from('hi')),
    );
    const input = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: KEY,
      BucketKeyEnabled: true,
      ChecksumSHA256: Buffer.from(info.sha256, 'hex').toString('base64'),
      Metadata: { sha256: info.sha256 },
    });
  });

  it('signs the SSE-KMS headers into a presigned PUT and tells the client to send them', async () => {
    const url = await new S3ObjectStore({ client: client(), bucket: 'b', kmsKeyId: KEY }).presign({
      method: 'PUT',
      key: 'files/f_1',
      expiresInSeconds: 600,
      size: 1234,
      contentType: 'application/pdf',
    });
    const signed = new URL(url.url).searchParams.get('X-Amz-SignedHeaders')!.split(';');
    expect(signed).toEqual(
      expect.arrayContaining([
        'content-length',
        'content-type',
        'if-none-match',
        'x-amz-server-side-encryption',
        'x-amz-server-side-encryption-aws-kms-key-id',
      ]),
    );
    expect(url.headers).toEqual({
      'Content-Type': 'application/pdf',
      'If-None-Match': '*',
      'x-amz-server-side-encryption': 'aws:kms',
      'x-amz-server-side-encryption-aws-kms-key-id': KEY,
      'x-amz-server-side-encryption-bucket-key-enabled': 'true',
    });
  });

  it('refuses a presigned PUT without a size, and expiries beyond seven days', async () => {
    const store = new S3ObjectStore({ client: client(), bucket: 'b' });
    await expect(store.presign({ method: 'PUT', key: 'k', expiresInSeconds: 60 })).rejects.toMatchObject({
      code: 'CAIRN_PRESIGN_SIZE_REQUIRED',
    });
    await expect(store.presign({ method: 'GET', key: 'k', expiresInSeconds: 604_801 })).rejects.toMatchObject({
      code: 'CAIRN_INVALID_EXPIRY',
    });
  });

  it('reports a denied call as CAIRN_AWS_ACCESS_DENIED, never as a missing object', async () => {
    s3.on(HeadObjectCommand).rejects(
      Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }),
    );
    await expect(new S3ObjectStore({ client: client(), bucket: 'b' }).head('k')).rejects.toMatchObject({
      code: 'CAIRN_AWS_ACCESS_DENIED',
    });
  });
});
