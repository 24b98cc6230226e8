/** Forward-only schema migrations; append, never edit a released one. Times are epoch milliseconds. */
export const migrations: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE users (
        username TEXT PRIMARY KEY,
        username_lower TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        display_lower TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        admin INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX users_display_lower ON users (display_lower);

      CREATE TABLE files (
        id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        name TEXT NOT NULL,
        size INTEGER NOT NULL,
        content_type TEXT NOT NULL,
        sha256 TEXT,
        status TEXT NOT NULL CHECK (status IN ('pending', 'ready', 'deleted')),
        object_key TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        upload_expires_at INTEGER NOT NULL
      );
      CREATE INDEX files_status ON files (status, upload_expires_at);

      CREATE TABLE shares (
        id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('link', 'recipients')),
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        max_downloads INTEGER,
        download_count INTEGER NOT NULL DEFAULT 0,
        password_hash TEXT,
        status TEXT NOT NULL CHECK (status IN ('active', 'revoked', 'expired')),
        revoked_at INTEGER
      );
      CREATE INDEX shares_owner ON shares (owner, created_at DESC, id DESC);
      CREATE INDEX shares_due ON shares (status, expires_at);

      CREATE TABLE share_files (
        share_id TEXT NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
        file_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (share_id, file_id)
      );
      CREATE INDEX share_files_file ON share_files (file_id);

      CREATE TABLE share_recipients (
        share_id TEXT NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
        username TEXT NOT NULL,
        PRIMARY KEY (share_id, username)
      );
      CREATE INDEX share_recipients_user ON share_recipients (username);

      CREATE TABLE downloads (
        id TEXT PRIMARY KEY,
        share_id TEXT NOT NULL,
        file_id TEXT,
        file_name TEXT NOT NULL,
        actor TEXT NOT NULL,
        ip TEXT NOT NULL,
        user_agent TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX downloads_share ON downloads (share_id, at DESC, id DESC);

      CREATE TABLE domain_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        time TEXT NOT NULL,
        actor TEXT,
        data TEXT NOT NULL
      );
    `,
  },
];
