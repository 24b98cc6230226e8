import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalKeyService } from '../../src/adapters/local/key-service.ts';
import { DiskObjectStore } from '../../src/adapters/local/object-store/disk-object-store.ts';
import { UrlSigner } from '../../src/adapters/local/object-store/url-signer.ts';
import { describeObjectStoreContract } from './object-store.contract.ts';

describeObjectStoreContract('DiskObjectStore', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cairn-contract-'));
  const keys = await LocalKeyService.open({ dataDir, masterKeyBase64: randomBytes(32).toString('base64') });
  const signer = new UrlSigner({ baseUrl: 'http://localhost:8787', key: keys.urlSigningKey() });
  // Small frames so that multi-frame objects are exercised by the contract's modest sizes.
  const store = await DiskObjectStore.open({ dataDir, keys, signer, namesKey: keys.objectNamesKey(), frameSize: 4096 });
  return { store, cleanup: () => rm(dataDir, { recursive: true, force: true }) };
});
