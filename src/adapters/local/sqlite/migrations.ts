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
        created_at INTEGER NOT NULL,
        session_version TEXT NOT NULL
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
  {
    version: 200,
    sql: `
      CREATE TABLE hub_events (
        event_id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        enriched_at INTEGER NOT NULL,
        severity TEXT NOT NULL,
        status TEXT NOT NULL,
        service TEXT,
        title TEXT NOT NULL,
        summary TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        labels TEXT NOT NULL,
        enrichment TEXT NOT NULL,
        raw_body TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX hub_events_time ON hub_events (received_at DESC, event_id DESC);
      CREATE INDEX hub_events_source ON hub_events (source, received_at DESC);
      CREATE INDEX hub_events_severity ON hub_events (severity, received_at DESC);
      CREATE INDEX hub_events_service ON hub_events (service, received_at DESC);
      CREATE INDEX hub_events_expiry ON hub_events (expires_at);
    `,
  },
  {
    // The durable queue (adapters/local/sqlite/queue.ts): every named queue (events, notify, channel:<name>,
    // sub:<name>) shares one table. `id` is never reused (AUTOINCREMENT) so a stale id cannot name a new
    // message; the partial indexes keep inserts cheap (a new row touches the ready index only).
    version: 100,
    sql: `
      CREATE TABLE queue_messages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        queue TEXT NOT NULL,
        body TEXT NOT NULL,
        dedup_id TEXT,
        receive_count INTEGER NOT NULL DEFAULT 0,
        visible_at INTEGER NOT NULL,
        receipt TEXT,
        sent_at INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('ready', 'dead')),
        dead_at INTEGER,
        last_error TEXT
      );
      CREATE UNIQUE INDEX queue_messages_dedup ON queue_messages (queue, dedup_id) WHERE dedup_id IS NOT NULL;
      CREATE INDEX queue_messages_ready ON queue_messages (queue, visible_at, id) WHERE state = 'ready';
      CREATE INDEX queue_messages_dead ON queue_messages (queue, dead_at, id) WHERE state = 'dead';
    `,
  },
  {
    // The hub's deliveries, notifier grouping state, runtime silences and subscriptions. Deliveries are
    // one row per (event, target): `channel:<name>`, `subscription:<name>` or `silence:<name>`.
    version: 300,
    sql: `
      CREATE TABLE hub_deliveries (
        id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL,
        target TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'dead')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        last_attempt_at INTEGER,
        delivered_at INTEGER,
        UNIQUE (event_id, target)
      );

      CREATE TABLE hub_groups (
        id TEXT PRIMARY KEY,
        route_key TEXT NOT NULL,
        channel TEXT NOT NULL,
        group_key TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_sent_at INTEGER,
        next_flush_at INTEGER,
        sent INTEGER NOT NULL,
        added INTEGER NOT NULL,
        members TEXT NOT NULL,
        version INTEGER NOT NULL
      );
      CREATE INDEX hub_groups_due ON hub_groups (next_flush_at) WHERE next_flush_at IS NOT NULL;

      CREATE TABLE hub_group_pending (
        group_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (group_id, event_id)
      );
      CREATE INDEX hub_group_pending_seq ON hub_group_pending (group_id, seq);

      CREATE TABLE hub_silences (
        id TEXT PRIMARY KEY,
        match TEXT NOT NULL,
        starts_at INTEGER NOT NULL,
        ends_at INTEGER NOT NULL,
        comment TEXT,
        created_by TEXT,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX hub_silences_ends ON hub_silences (ends_at);
      CREATE INDEX hub_silences_created ON hub_silences (created_at DESC, id DESC);

      CREATE TABLE hub_subscriptions (
        name TEXT PRIMARY KEY,
        endpoint TEXT NOT NULL,
        secret TEXT NOT NULL,
        filter_policy TEXT,
        filter_policy_scope TEXT NOT NULL CHECK (filter_policy_scope IN ('MessageAttributes', 'MessageBody')),
        max_receive_count INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      );
    `,
  },
  {
    // Backups (adapters/local/backups): runs with their planned chunks (a finished chunk is recorded
    // here, so a killed run resumes from it), each job's committed cursor, the one-run-per-job lease and
    // when each schedule last fired (missed runs on start).
    version: 500,
    sql: `
      CREATE TABLE backup_runs (
        id TEXT PRIMARY KEY,
        job TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('full', 'incremental')),
        kind TEXT NOT NULL CHECK (kind IN ('rows', 'dump')),
        status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
        phase TEXT NOT NULL,
        trigger TEXT NOT NULL,
        scheduled_for INTEGER,
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        plan TEXT NOT NULL,
        cursor_from TEXT,
        cursor_to TEXT,
        chunks_total INTEGER NOT NULL,
        rows INTEGER NOT NULL DEFAULT 0,
        bytes INTEGER NOT NULL DEFAULT 0,
        hot_rows INTEGER,
        manifest_key TEXT,
        error TEXT,
        verified_at INTEGER,
        verify_ok INTEGER,
        verify_error TEXT,
        pruned_at INTEGER
      );
      CREATE INDEX backup_runs_job ON backup_runs (job, started_at DESC, id DESC);
      CREATE INDEX backup_runs_started ON backup_runs (started_at DESC, id DESC);
      CREATE INDEX backup_runs_unfinished ON backup_runs (job) WHERE status = 'running';

      CREATE TABLE backup_chunks (
        run_id TEXT NOT NULL REFERENCES backup_runs (id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        label TEXT NOT NULL,
        params TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'done')),
        attempts INTEGER NOT NULL DEFAULT 0,
        object_key TEXT,
        rows INTEGER,
        bytes INTEGER,
        sha256 TEXT,
        max_cursor TEXT,
        error TEXT,
        finished_at INTEGER,
        PRIMARY KEY (run_id, idx)
      );

      CREATE TABLE backup_cursors (
        job TEXT PRIMARY KEY,
        column_name TEXT NOT NULL,
        position TEXT NOT NULL,
        run_id TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );

      CREATE TABLE backup_leases (
        job TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        run_id TEXT,
        expires_at INTEGER NOT NULL
      );

      CREATE TABLE backup_schedule_state (
        job TEXT NOT NULL,
        schedule TEXT NOT NULL,
        last_fire_at INTEGER NOT NULL,
        PRIMARY KEY (job, schedule)
      );
    `,
  },
  {
    // The log agent (adapters/local/logs/store.ts): file offsets (committed with the metrics they produced),
    // metric series and their 10 s / 60 s / 1 h points (statistics plus a percentile sketch), alarm states
    // and the history of their transitions (an outbox: queued_at is set once the event is on the queue).
    version: 400,
    sql: `
      CREATE TABLE log_file_offsets (
        file_key TEXT PRIMARY KEY,
        path TEXT NOT NULL,
        log_group TEXT NOT NULL,
        offset INTEGER NOT NULL,
        skipping INTEGER NOT NULL DEFAULT 0,
        head_len INTEGER NOT NULL DEFAULT 0,
        head_hash TEXT NOT NULL DEFAULT '',
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX log_file_offsets_path ON log_file_offsets (path);

      CREATE TABLE log_metric_series (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        series_key TEXT NOT NULL UNIQUE,
        namespace TEXT NOT NULL,
        name TEXT NOT NULL,
        dimensions TEXT NOT NULL,
        unit TEXT,
        last_at INTEGER NOT NULL
      );
      CREATE INDEX log_metric_series_name ON log_metric_series (namespace, name, id);

      CREATE TABLE log_metric_points (
        series_id INTEGER NOT NULL,
        resolution INTEGER NOT NULL,
        bucket INTEGER NOT NULL,
        count REAL NOT NULL,
        sum REAL NOT NULL,
        min REAL NOT NULL,
        max REAL NOT NULL,
        sketch TEXT NOT NULL,
        PRIMARY KEY (series_id, resolution, bucket)
      ) WITHOUT ROWID;
      CREATE INDEX log_metric_points_age ON log_metric_points (resolution, bucket);

      CREATE TABLE log_alarm_states (
        name TEXT PRIMARY KEY,
        state TEXT NOT NULL CHECK (state IN ('OK', 'ALARM', 'INSUFFICIENT_DATA')),
        reason TEXT NOT NULL,
        reason_data TEXT,
        changed_at TEXT NOT NULL,
        last_period_end INTEGER,
        evaluated_at INTEGER
      );

      CREATE TABLE log_alarm_history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        alarm TEXT NOT NULL,
        at INTEGER NOT NULL,
        old_state TEXT NOT NULL,
        new_state TEXT NOT NULL,
        reason TEXT NOT NULL,
        event TEXT NOT NULL,
        queued_at INTEGER
      );
      CREATE INDEX log_alarm_history_alarm ON log_alarm_history (alarm, id DESC);
      CREATE INDEX log_alarm_history_unqueued ON log_alarm_history (id) WHERE queued_at IS NULL;
      CREATE INDEX log_alarm_history_at ON log_alarm_history (at);

      CREATE TABLE log_agent_counters (
        name TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      );
    `,
  },
];
