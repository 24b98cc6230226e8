/** The sharing rules a deployment can tune (config `sharing:`), with the defaults users expect. */
export interface SharingLimits {
  maxUploadBytes: number;
  /** How long a presigned upload URL stays valid. */
  uploadUrlTtlSeconds: number;
  defaultExpiresInSeconds: number;
  maxExpiresInSeconds: number;
  /** Share downloads redirect to a presigned object URL this short-lived (≤ 60 s). */
  downloadUrlTtlSeconds: number;
  /** A bare presigned URL the owner hands out lives at most this long (S3: 7 days). */
  maxPresignSeconds: number;
  maxFilesPerShare: number;
  maxRecipients: number;
  /** Uploaded files that no active share uses are removed after this grace. */
  unsharedFileGraceSeconds: number;
}

export const defaultSharingLimits: SharingLimits = {
  maxUploadBytes: 5 * 1024 ** 3,
  uploadUrlTtlSeconds: 6 * 3600,
  defaultExpiresInSeconds: 7 * 86400,
  maxExpiresInSeconds: 30 * 86400,
  downloadUrlTtlSeconds: 60,
  maxPresignSeconds: 7 * 86400,
  maxFilesPerShare: 100,
  maxRecipients: 50,
  unsharedFileGraceSeconds: 86400,
};
