import type { PgMigration } from './index';

/**
 * The shared queue's first schema: the embedded store's batches, items, jobs, results,
 * detections and results cache (SQLite migrations 001-002), in PostgreSQL's types. Times the
 * queue decides on (available_at, leases, finished_at) are timestamptz written with the
 * server's now(), so every worker agrees whatever its own clock says; 'epoch' means "now".
 * Search (file names, decoded and corrected values) uses trigram indexes (pg_trgm, a trusted
 * extension the database owner may create).
 */
export const migration001: PgMigration = {
  version: 1,
  name: 'queue',
  sql: `
    CREATE EXTENSION IF NOT EXISTS pg_trgm;

    CREATE TABLE batches (
      id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name        text NOT NULL,
      created_at  text NOT NULL,
      status      text NOT NULL CHECK (status IN ('queued','running','paused','cancelled','done')),
      plan_json   text NOT NULL
    );

    CREATE TABLE items (
      id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      batch_id        bigint NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
      path            text NOT NULL,
      name            text NOT NULL,
      page            integer NOT NULL,
      page_count      integer NOT NULL,
      format          text,
      size            bigint NOT NULL,
      sha256          text,
      status          text NOT NULL CHECK (status IN ('pending','running','done','failed','cancelled','skipped')),
      error_code      text,
      error_message   text,
      width           integer,
      height          integer,
      detection_count integer NOT NULL DEFAULT 0,
      review_pending  integer NOT NULL DEFAULT 0
    );
    CREATE INDEX items_batch ON items(batch_id, id);
    CREATE INDEX items_batch_counts ON items(batch_id, status, detection_count);
    CREATE INDEX items_sha ON items(sha256);
    CREATE INDEX items_name_trgm ON items USING gin (name gin_trgm_ops);

    CREATE TABLE jobs (
      id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      batch_id         bigint NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
      item_id          bigint NOT NULL REFERENCES items(id) ON DELETE CASCADE,
      engine           text NOT NULL,
      task             text NOT NULL,
      role             text NOT NULL CHECK (role IN ('primary','fallback')),
      status           text NOT NULL CHECK (status IN ('pending','running','done','failed','blocked','cancelled')),
      attempts         integer NOT NULL DEFAULT 0,
      lease_losses     integer NOT NULL DEFAULT 0,
      available_at     timestamptz NOT NULL DEFAULT 'epoch',
      lease_expires_at timestamptz,
      lease_owner      text,
      allocation_id    text,
      error_code       text,
      error_message    text,
      finished_at      timestamptz,
      UNIQUE (item_id, engine, task)
    );
    -- Claims read only pending jobs of one engine in available_at order.
    CREATE INDEX jobs_claim ON jobs(engine, available_at, id) WHERE status = 'pending';
    CREATE INDEX jobs_batch ON jobs(batch_id, status);
    CREATE INDEX jobs_running ON jobs(lease_expires_at) WHERE status = 'running';

    CREATE TABLE results (
      id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      job_id         bigint REFERENCES jobs(id) ON DELETE SET NULL,
      item_id        bigint NOT NULL REFERENCES items(id) ON DELETE CASCADE,
      engine         text NOT NULL,
      task           text NOT NULL,
      engine_version text NOT NULL,
      request_id     text,
      bytes_sent     bigint,
      scale          double precision,
      page_width     integer NOT NULL,
      page_height    integer NOT NULL,
      reused_from    bigint REFERENCES results(id) ON DELETE SET NULL,
      notices_json   text,
      created_at     timestamptz NOT NULL DEFAULT now(),
      UNIQUE (item_id, engine, task)
    );
    CREATE INDEX results_job ON results(job_id);
    CREATE INDEX results_reused ON results(reused_from);

    CREATE TABLE detections (
      id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      result_id      bigint NOT NULL REFERENCES results(id) ON DELETE CASCADE,
      item_id        bigint NOT NULL REFERENCES items(id) ON DELETE CASCADE,
      ord            integer NOT NULL,
      engine         text NOT NULL,
      kind           text NOT NULL,
      symbology      text NOT NULL,
      text           text NOT NULL,
      bytes_base64   text,
      field          text,
      geometry_json  text NOT NULL,
      extra_json     text,
      review         text NOT NULL DEFAULT 'pending' CHECK (review IN ('pending','accepted','rejected')),
      corrected_text text
    );
    CREATE INDEX detections_item ON detections(item_id, id);
    CREATE INDEX detections_result ON detections(result_id);
    CREATE INDEX detections_text_trgm ON detections USING gin (text gin_trgm_ops);
    CREATE INDEX detections_corrected_trgm ON detections USING gin (corrected_text gin_trgm_ops);

    CREATE TABLE result_cache (
      sha256      text NOT NULL,
      page        integer NOT NULL,
      engine      text NOT NULL,
      task        text NOT NULL,
      options_key text NOT NULL,
      result_id   bigint NOT NULL REFERENCES results(id) ON DELETE CASCADE,
      PRIMARY KEY (sha256, page, engine, task, options_key)
    );
    CREATE INDEX result_cache_result ON result_cache(result_id);
  `,
};
