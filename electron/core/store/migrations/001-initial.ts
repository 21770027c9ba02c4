import type { Migration } from './index';

/**
 * The first schema: batches of items (one per page), the jobs that decode them (one per item
 * per engine, so an item can hold several engines' results side by side), each engine's result
 * with its traceability fields, the detections with their review, and the results cache.
 */
export const migration001: Migration = {
  version: 1,
  name: 'initial schema',
  up(db) {
    db.exec(`
      CREATE TABLE batches (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('queued','running','paused','cancelled','done')),
        plan_json   TEXT NOT NULL
      );

      CREATE TABLE items (
        id              INTEGER PRIMARY KEY,
        batch_id        INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
        path            TEXT NOT NULL,
        name            TEXT NOT NULL,          -- base name, for search
        page            INTEGER NOT NULL,
        page_count      INTEGER NOT NULL,
        format          TEXT,
        size            INTEGER NOT NULL,
        sha256          TEXT,
        status          TEXT NOT NULL CHECK (status IN ('pending','running','done','failed','cancelled','skipped')),
        error_code      TEXT,
        error_message   TEXT,
        width           INTEGER,
        height          INTEGER,
        detection_count INTEGER NOT NULL DEFAULT 0,
        review_pending  INTEGER NOT NULL DEFAULT 0   -- detections not yet accepted/rejected
      );
      CREATE INDEX items_batch ON items(batch_id, id);
      CREATE INDEX items_batch_status ON items(batch_id, status);
      CREATE INDEX items_sha ON items(sha256);

      CREATE TABLE jobs (
        id               INTEGER PRIMARY KEY,
        batch_id         INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
        item_id          INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        engine           TEXT NOT NULL,
        task             TEXT NOT NULL,
        role             TEXT NOT NULL CHECK (role IN ('primary','fallback')),
        status           TEXT NOT NULL CHECK (status IN ('pending','running','done','failed','blocked','cancelled')),
        attempts         INTEGER NOT NULL DEFAULT 0,   -- engine calls that ended in a retry-class error
        lease_losses     INTEGER NOT NULL DEFAULT 0,   -- times the holder vanished (crash, timeout)
        available_at     INTEGER NOT NULL DEFAULT 0,   -- ms epoch; backoff
        lease_expires_at INTEGER,
        lease_owner      TEXT,                         -- host:pid of the holder
        allocation_id    TEXT,                         -- fencing token, new on every claim
        error_code       TEXT,
        error_message    TEXT,
        finished_at      INTEGER,
        UNIQUE (item_id, engine, task)
      );
      CREATE INDEX jobs_claim ON jobs(status, engine, available_at);
      CREATE INDEX jobs_batch ON jobs(batch_id, status);

      CREATE TABLE results (
        id             INTEGER PRIMARY KEY,
        job_id         INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
        item_id        INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        engine         TEXT NOT NULL,
        task           TEXT NOT NULL,
        engine_version TEXT NOT NULL,
        request_id     TEXT,
        bytes_sent     INTEGER,
        scale          REAL,
        page_width     INTEGER NOT NULL,
        page_height    INTEGER NOT NULL,
        reused_from    INTEGER REFERENCES results(id) ON DELETE SET NULL,  -- set when copied from the cache
        notices_json   TEXT,
        created_at     INTEGER NOT NULL,
        UNIQUE (item_id, engine, task)
      );
      CREATE INDEX results_job ON results(job_id);
      CREATE INDEX results_reused ON results(reused_from);

      CREATE TABLE detections (
        id             INTEGER PRIMARY KEY,
        result_id      INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
        item_id        INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        ord            INTEGER NOT NULL,
        engine         TEXT NOT NULL,
        kind           TEXT NOT NULL,
        symbology      TEXT NOT NULL,
        text           TEXT NOT NULL,
        bytes_base64   TEXT,
        field          TEXT,
        geometry_json  TEXT NOT NULL,
        extra_json     TEXT,
        review         TEXT NOT NULL DEFAULT 'pending' CHECK (review IN ('pending','accepted','rejected')),
        corrected_text TEXT
      );
      CREATE INDEX detections_item ON detections(item_id, id);
      CREATE INDEX detections_result ON detections(result_id);

      -- Same bytes + page + engine + task + options => the stored result is reused.
      CREATE TABLE result_cache (
        sha256      TEXT NOT NULL,
        page        INTEGER NOT NULL,
        engine      TEXT NOT NULL,
        task        TEXT NOT NULL,
        options_key TEXT NOT NULL,
        result_id   INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
        PRIMARY KEY (sha256, page, engine, task, options_key)
      ) WITHOUT ROWID;
      CREATE INDEX result_cache_result ON result_cache(result_id);
    `);
  },
};
