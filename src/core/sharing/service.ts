import type { Clock } from '../clock.ts';
import { conflict, invalid, notFound, tooLarge, unauthorized } from '../errors.ts';
import { newEventId, newFileId, newShareId } from '../ids.ts';
import { type AttemptLimiter, takeBoth } from '../rate-limiter.ts';
import type { EventBus } from '../../ports/event-bus.ts';
import type { Identity, Principal } from '../../ports/identity.ts';
import type { ObjectStore, PresignedUrl } from '../../ports/object-store.ts';
import type { PasswordHasher } from '../../ports/password-hasher.ts';
import type { AuditRepository, FileRepository, Page, PageRequest, ShareRepository } from '../../ports/repositories.ts';
import type { SharingLimits } from './limits.ts';
import type { DownloadRecord, Share, ShareView, StoredFile } from './model.ts';
import { normalizeContentType, sanitizeFileName } from './names.ts';
import { checkAccess, shareNotFound, type Viewer } from './policy.ts';
import { parseCreateShare, parseCreateUpload, parseSeconds } from './validate.ts';

export interface SharingDeps {
  files: FileRepository;
  shares: ShareRepository;
  audit: AuditRepository;
  identity: Identity;
  objects: ObjectStore;
  hasher: PasswordHasher;
  events: EventBus;
  clock: Clock;
  limits: SharingLimits;
  /** Failed share-password attempts, keyed per share and client address. */
  unlockLimiter: AttemptLimiter;
  /**
   * Failed attempts per share from all addresses: a higher cap against distributed guessing that one
   * visitor alone cannot reach, so a stranger cannot lock the recipients out.
   */
  shareUnlockLimiter: AttemptLimiter;
}

export interface RequestContext {
  ip: string;
  userAgent: string;
}

/** What a download resolves to: the files to send, after the policy check, counting and audit. */
export interface DownloadGrant {
  share: Share;
  files: StoredFile[];
}

/** The file-sharing use cases. Every rule lives here or in policy.ts; adapters only store and move bytes. */
export class SharingService {
  constructor(private readonly d: SharingDeps) {}

  async createUpload(owner: Principal, input: unknown) {
    const req = parseCreateUpload(input);
    if (req.size > this.d.limits.maxUploadBytes) {
      throw tooLarge(
        'CAIRN_UPLOAD_TOO_LARGE',
        `size ${req.size} is over the upload limit of ${this.d.limits.maxUploadBytes} bytes.`,
      );
    }
    const now = this.d.clock.now();
    const id = newFileId();
    const file: StoredFile = {
      id,
      owner: owner.username,
      name: sanitizeFileName(req.name),
      size: req.size,
      contentType: normalizeContentType(req.contentType),
      sha256: null,
      status: 'pending',
      objectKey: `files/${id}`,
      createdAt: now,
      uploadExpiresAt: new Date(now.getTime() + this.d.limits.uploadUrlTtlSeconds * 1000),
    };
    await this.d.files.insert(file);
    const put = await this.d.objects.presign({
      method: 'PUT',
      key: file.objectKey,
      expiresInSeconds: this.d.limits.uploadUrlTtlSeconds,
      size: file.size,
      contentType: file.contentType,
      // Re-checked on every use: once the upload is complete (or swept) the URL stops working, so
      // the bytes behind a ready file, its sha256 and its shares cannot be swapped afterwards.
      scope: `upload:${id}`,
    });
    return {
      fileId: id,
      uploadUrl: put.url,
      method: put.method,
      headers: put.headers,
      expiresAt: put.expiresAt.toISOString(),
    };
  }

  async completeUpload(owner: Principal, fileId: string) {
    const file = await this.ownFile(owner, fileId);
    if (file.status === 'pending') {
      const info = await this.d.objects.head(file.objectKey);
      if (!info)
        throw conflict(
          'CAIRN_UPLOAD_INCOMPLETE',
          'No bytes were received for this upload yet: send them to uploadUrl first.',
        );
      if (info.size !== file.size) {
        await this.d.objects.delete(file.objectKey);
        throw invalid(
          'CAIRN_UPLOAD_SIZE_MISMATCH',
          `received ${info.size} bytes but ${file.size} were declared; upload again.`,
        );
      }
      await this.d.files.markReady(file.id, { size: info.size, sha256: info.sha256, contentType: file.contentType });
      file.status = 'ready';
      file.sha256 = info.sha256;
    }
    return { fileId: file.id, name: file.name, size: file.size, sha256: file.sha256, status: file.status };
  }

  /** Stores the bytes of a pending upload directly (the CLI; the web UI uses the presigned URL). */
  async storeUpload(owner: Principal, fileId: string, body: AsyncIterable<Uint8Array>) {
    const file = await this.ownFile(owner, fileId);
    if (file.status !== 'pending') throw conflict('CAIRN_UPLOAD_DONE', 'This upload is already complete.');
    await this.d.objects.put(file.objectKey, body, { expectedSize: file.size, contentType: file.contentType });
  }

  async presignFile(owner: Principal, fileId: string, input: unknown): Promise<{ url: string; expiresAt: string }> {
    const file = await this.ownFile(owner, fileId);
    if (file.status !== 'ready') throw conflict('CAIRN_FILE_NOT_READY', 'Finish the upload before sharing this file.');
    const body = (input ?? {}) as { expiresInSeconds?: unknown };
    const seconds = parseSeconds(body.expiresInSeconds, 'expiresInSeconds', this.d.limits.maxPresignSeconds, 3600);
    const url = await this.presignDownload(file, seconds, `file:${file.id}`);
    return { url: url.url, expiresAt: url.expiresAt.toISOString() };
  }

  async createShare(owner: Principal, input: unknown): Promise<ShareView> {
    const req = parseCreateShare(input, this.d.limits);
    const files: StoredFile[] = [];
    for (const id of req.fileIds) {
      const file = await this.ownFile(owner, id);
      if (file.status !== 'ready')
        throw conflict('CAIRN_FILE_NOT_READY', `file ${id} is not uploaded yet: complete its upload first.`);
      files.push(file);
    }
    const recipients = new Set<string>();
    for (const username of req.recipients) {
      const user = await this.d.identity.getUser(username);
      if (!user)
        throw invalid(
          'CAIRN_UNKNOWN_RECIPIENT',
          `recipients: ${username} is not a user; pick one from GET /api/users.`,
        );
      recipients.add(user.username);
    }
    const now = this.d.clock.now();
    const share: Share = {
      id: newShareId(),
      owner: owner.username,
      kind: recipients.size > 0 ? 'recipients' : 'link',
      fileIds: files.map((f) => f.id),
      recipients: [...recipients].sort(),
      createdAt: now,
      expiresAt: new Date(now.getTime() + req.expiresInSeconds * 1000),
      maxDownloads: req.maxDownloads,
      downloadCount: 0,
      passwordHash: req.password === null ? null : await this.d.hasher.hash(req.password),
      status: 'active',
      revokedAt: null,
    };
    await this.d.shares.insert(share);
    await this.emit('share.created', owner.username, {
      shareId: share.id,
      kind: share.kind,
      files: files.length,
      recipients: share.recipients,
      expiresAt: share.expiresAt.toISOString(),
    });
    return this.view(share, files);
  }

  async listMine(owner: Principal, page: PageRequest): Promise<Page<ShareView>> {
    return this.views(await this.d.shares.listByOwner(owner.username, page));
  }

  async listReceived(user: Principal, page: PageRequest): Promise<Page<ShareView>> {
    return this.views(await this.d.shares.listReceived(user.username, this.d.clock.now(), page));
  }

  async getMine(owner: Principal, id: string): Promise<ShareView> {
    return this.view(await this.ownShare(owner, id));
  }

  async revoke(owner: Principal, id: string): Promise<void> {
    const share = await this.ownShare(owner, id);
    if (share.status !== 'active') return;
    if (await this.d.shares.revoke(id, this.d.clock.now())) {
      await this.emit('share.revoked', owner.username, { shareId: id });
    }
  }

  /** A removed account's shares stop working with it (links and presigned URLs alike). */
  async revokeAllOwnedBy(username: string): Promise<number> {
    const ids = await this.d.shares.revokeAllByOwner(username, this.d.clock.now());
    for (const shareId of ids) await this.emit('share.revoked', 'cairn', { shareId, reason: 'owner removed' });
    return ids.length;
  }

  async listDownloads(owner: Principal, id: string, page: PageRequest): Promise<Page<DownloadRecord>> {
    await this.ownShare(owner, id);
    return this.d.audit.listDownloads(id, page);
  }

  /** The public landing page's view of a share: no download is counted. */
  async describeForViewer(id: string, viewer: Viewer) {
    const found = await this.d.shares.get(id);
    if (found?.kind === 'recipients' && !viewer.principal) {
      // The landing page must learn that a sign-in is needed; files and owner are for recipients only.
      return {
        id: found.id,
        files: [],
        expiresAt: found.expiresAt.toISOString(),
        requiresPassword: found.passwordHash !== null,
        unlocked: false,
        requiresSignIn: true,
      };
    }
    const share = checkAccess(found, viewer, this.d.clock.now(), { needUnlock: false });
    const unlocked =
      share.passwordHash === null ||
      viewer.unlockedShareIds.has(share.id) ||
      viewer.principal?.username === share.owner;
    // File names can say as much as the files: behind a password, they wait for the password too.
    const files = unlocked ? await this.filesOf(share) : [];
    const owner = await this.d.identity.getUser(share.owner);
    return {
      id: share.id,
      files: files.map((f) => ({ id: f.id, name: f.name, size: f.size })),
      expiresAt: share.expiresAt.toISOString(),
      requiresPassword: share.passwordHash !== null,
      unlocked,
      requiresSignIn: false,
      ownerDisplayName: owner?.displayName ?? share.owner,
    };
  }

  /** Checks a share password; rate limited per share and address. */
  async unlock(id: string, password: unknown, viewer: Viewer, ctx: RequestContext): Promise<void> {
    const share = checkAccess(await this.d.shares.get(id), viewer, this.d.clock.now(), { needUnlock: false });
    if (!share.passwordHash) return;
    const key = `${id}|${ctx.ip}`;
    await takeBoth(this.d.unlockLimiter, key, this.d.shareUnlockLimiter, id);
    const ok =
      typeof password === 'string' &&
      password.length <= 1024 &&
      (await this.d.hasher.verify(password, share.passwordHash));
    if (!ok) throw invalidPassword();
    await Promise.all([this.d.unlockLimiter.reset(key), this.d.shareUnlockLimiter.giveBack(id)]);
  }

  /**
   * Authorises one download (a single file, or every file when fileId is null), counts it against the
   * share's limit atomically, audits it and tells the hub. The caller then streams or redirects.
   */
  async authorizeDownload(
    id: string,
    fileId: string | null,
    viewer: Viewer,
    ctx: RequestContext,
  ): Promise<DownloadGrant> {
    const now = this.d.clock.now();
    const share = checkAccess(await this.d.shares.get(id), viewer, now, { needUnlock: true });
    if (fileId !== null && !share.fileIds.includes(fileId))
      throw notFound('CAIRN_FILE_NOT_FOUND', 'This share has no such file.');
    const files = (await this.filesOf(share)).filter((f) => fileId === null || f.id === fileId);
    if (files.length === 0 || files.some((f) => f.status !== 'ready')) throw shareNotFound();
    const claimed = await this.d.shares.claimDownload(id, now);
    if (!claimed) checkAccess(await this.d.shares.get(id), viewer, now, { needUnlock: true }); // throws the precise reason
    const actor = viewer.principal?.username ?? 'anonymous';
    const fileName = files.length === 1 ? files[0]!.name : `${files.length} files (zip)`;
    await this.d.audit.recordDownload({
      id: newEventId(),
      shareId: id,
      fileId: fileId,
      fileName,
      actor,
      ip: ctx.ip,
      userAgent: ctx.userAgent.slice(0, 512),
      at: now,
    });
    await this.emit('share.downloaded', actor, { shareId: id, owner: share.owner, fileId, fileName, ip: ctx.ip });
    return { share: claimed ?? share, files };
  }

  /** A short-lived presigned URL for one file of a granted download; revoking the share stops it. */
  presignGrantedFile(grant: DownloadGrant, file: StoredFile): Promise<PresignedUrl> {
    return this.presignDownload(file, this.d.limits.downloadUrlTtlSeconds, `share:${grant.share.id}`);
  }

  /** The plaintext of one file of a granted download (for the zip of a multi-file share). */
  async openFile(grant: DownloadGrant, file: StoredFile): Promise<AsyncIterable<Uint8Array>> {
    if (!grant.files.includes(file)) throw shareNotFound();
    return (await this.d.objects.get(file.objectKey)).body;
  }

  /** Whether a presigned URL issued under `scope` may still be used (the object server asks). */
  async isScopeActive(scope: string): Promise<boolean> {
    const [kind, id] = scope.split(':', 2);
    if (kind === 'file' && id) return (await this.d.files.get(id))?.status === 'ready';
    if (kind === 'upload' && id) return (await this.d.files.get(id))?.status === 'pending';
    if (kind !== 'share' || !id) return false;
    const share = await this.d.shares.get(id);
    return !!share && share.status === 'active' && share.expiresAt.getTime() > this.d.clock.now().getTime();
  }

  private presignDownload(file: StoredFile, seconds: number, scope: string) {
    return this.d.objects.presign({
      method: 'GET',
      key: file.objectKey,
      expiresInSeconds: seconds,
      downloadName: file.name,
      scope,
    });
  }

  private async ownFile(owner: Principal, id: string): Promise<StoredFile> {
    const file = typeof id === 'string' ? await this.d.files.get(id) : null;
    if (!file || file.owner !== owner.username || file.status === 'deleted') {
      throw notFound('CAIRN_FILE_NOT_FOUND', `No file ${String(id)} of yours: upload it first.`);
    }
    return file;
  }

  private async ownShare(owner: Principal, id: string): Promise<Share> {
    const share = await this.d.shares.get(id);
    if (!share || share.owner !== owner.username) throw shareNotFound();
    return share;
  }

  private async filesOf(share: Share): Promise<StoredFile[]> {
    const files = await Promise.all(share.fileIds.map((id) => this.d.files.get(id)));
    return files.filter((f): f is StoredFile => f !== null);
  }

  private async views(page: Page<Share>): Promise<Page<ShareView>> {
    return {
      items: await Promise.all(page.items.map((s) => this.view(s))),
      ...(page.cursor ? { cursor: page.cursor } : {}),
    };
  }

  private async view(share: Share, known?: StoredFile[]): Promise<ShareView> {
    const files = known ?? (await this.filesOf(share));
    return {
      id: share.id,
      owner: share.owner,
      kind: share.kind,
      files: files.map((f) => ({ id: f.id, name: f.name, size: f.size, contentType: f.contentType, sha256: f.sha256 })),
      recipients: share.recipients,
      createdAt: share.createdAt.toISOString(),
      expiresAt: share.expiresAt.toISOString(),
      maxDownloads: share.maxDownloads,
      downloadCount: share.downloadCount,
      hasPassword: share.passwordHash !== null,
      status:
        share.status === 'active' && share.expiresAt.getTime() <= this.d.clock.now().getTime()
          ? 'expired'
          : share.status,
      revokedAt: share.revokedAt?.toISOString() ?? null,
    };
  }

  private emit(type: string, actor: string, data: Record<string, unknown>) {
    return this.d.events.publish({ id: newEventId(), type, time: this.d.clock.now().toISOString(), actor, data });
  }
}

const invalidPassword = () => unauthorized('CAIRN_SHARE_PASSWORD_WRONG', 'Wrong password for this share.');
