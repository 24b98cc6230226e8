/** The file-sharing domain: uploaded files, shares (link or recipients) and their audit trail. */
export type FileStatus = 'pending' | 'ready' | 'deleted';

export interface StoredFile {
  id: string;
  owner: string;
  /** The sanitised display/download name (never a path). */
  name: string;
  size: number;
  contentType: string;
  sha256: string | null;
  status: FileStatus;
  objectKey: string;
  createdAt: Date;
  /** Pending uploads not completed by then are swept. */
  uploadExpiresAt: Date;
}

export type ShareKind = 'link' | 'recipients';
export type ShareStatus = 'active' | 'revoked' | 'expired';

export interface Share {
  id: string;
  owner: string;
  kind: ShareKind;
  fileIds: string[];
  recipients: string[];
  createdAt: Date;
  expiresAt: Date;
  maxDownloads: number | null;
  downloadCount: number;
  /** scrypt hash of the share password, or null. Never leaves the server. */
  passwordHash: string | null;
  status: ShareStatus;
  revokedAt: Date | null;
}

export interface DownloadRecord {
  id: string;
  shareId: string;
  fileId: string | null; // null: the whole share as a zip
  fileName: string;
  actor: string; // a username, or `anonymous`
  ip: string;
  userAgent: string;
  at: Date;
}

/** What the API shows of a share (no password hash). */
export interface ShareView {
  id: string;
  owner: string;
  kind: ShareKind;
  files: { id: string; name: string; size: number; contentType: string; sha256: string | null }[];
  recipients: string[];
  createdAt: string;
  expiresAt: string;
  maxDownloads: number | null;
  downloadCount: number;
  hasPassword: boolean;
  status: ShareStatus;
  revokedAt: string | null;
}
