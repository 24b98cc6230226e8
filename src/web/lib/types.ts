/** The shapes the web UI reads from the Cairn HTTP API (times are UTC ISO 8601 strings). */
export interface User {
  username: string;
  displayName: string;
  admin: boolean;
}

export interface UserSummary {
  username: string;
  displayName: string;
}

export interface UploadTicket {
  fileId: string;
  uploadUrl: string;
  method: string;
  headers?: Record<string, string>;
  expiresAt: string;
}

export interface CompletedFile {
  fileId: string;
  name: string;
  size: number;
  sha256: string;
  status: 'ready';
}

export interface ShareFile {
  id: string;
  name: string;
  size: number;
  contentType?: string;
  sha256?: string | null;
}

export type ShareStatus = 'active' | 'revoked' | 'expired';

export interface Share {
  id: string;
  url: string;
  owner?: string;
  kind: 'link' | 'recipients';
  files: ShareFile[];
  recipients: string[];
  createdAt: string;
  expiresAt: string;
  maxDownloads: number | null;
  downloadCount: number;
  hasPassword: boolean;
  status: ShareStatus;
  revokedAt: string | null;
}

export interface CreatedShare {
  id: string;
  url: string;
  expiresAt: string;
  files: ShareFile[];
}

export interface NewShare {
  fileIds: string[];
  expiresInSeconds?: number;
  recipients?: string[];
  maxDownloads?: number;
  password?: string;
}

export interface DownloadRecord {
  id: string;
  shareId: string;
  fileId: string | null;
  fileName: string;
  actor: string;
  ip: string;
  userAgent: string;
  at: string;
}

export interface Page<T> {
  items: T[];
  cursor?: string | null;
}

export interface ShareInfo {
  id: string;
  files: ShareFile[];
  expiresAt: string;
  requiresPassword: boolean;
  unlocked: boolean;
  requiresSignIn: boolean;
  ownerDisplayName?: string;
}
