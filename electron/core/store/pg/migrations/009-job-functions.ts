import type { PgMigration } from './index';

/**
 * The two transitions every page takes, as SQL functions: one round trip each instead of a
 * transaction of five (store/pg/jobs.ts calls them). Under READ COMMITTED each statement in a
 * PL/pgSQL function sees what committed before it started, so a function can lock, then look
 * again, as a transaction of separate statements would.
 *
 * scandesk_claim: the next pending job of an engine in a running batch (FOR UPDATE SKIP LOCKED),
 * leased; its page marked running; with the cached result of the same bytes, page, engine, task
 * and options when one exists (the runner then copies it instead of calling the engine). A job
 * whose identical page (same sha256 + page + engine + task + options) another job is decoding
 * right now is left waiting: one call per identical page across every worker. Two workers
 * claiming two identical pages at the same instant are kept apart by a transaction-scoped
 * advisory lock on the page's key, taken before the second look.
 *
 * scandesk_finish: the fenced finish (refused when the allocation id no longer holds), the
 * result with its detections (fresh, or copied from a cached result) and its cache entry, the
 * fallback engine's job, the page's size, counts and status, and the notifications. A page that
 * already has a result (a second engine, a manual code), or whose batch has review rules,
 * answers 'several' without writing: its counts follow the merge rules (store/merge.ts) and the
 * rules judge it (store/pg/rules.ts), so the caller runs it in a transaction with p_several and
 * recounts.
 *
 * The status-from-jobs rule below is a frozen copy of STATUS_FROM_JOBS (store/pg/item-status.ts);
 * the channels are those of store/pg/notify.ts.
 */
export const migration009: PgMigration = {
  version: 9,
  name: 'job functions',
  sql: `
    -- The options part of a cache key, from a batch's plan: compared as jsonb (key order is
    -- irrelevant), as the runner's canonical optionsKey text compares.
    CREATE FUNCTION scandesk_plan_options(plan_json text) RETURNS jsonb
    LANGUAGE sql IMMUTABLE AS $$
      SELECT coalesce(nullif(plan_json::jsonb -> 'options', 'null'::jsonb), '{}'::jsonb)
    $$;

    -- The candidate query names one table and reads its other facts in scalar subqueries (never
    -- flattened into joins): the plan is the ordered walk of jobs_claim whatever the statistics
    -- say (a fresh or just-filled table has none, and a join then sorts every pending job).
    CREATE FUNCTION scandesk_claim(p_engine text, p_allocation text, p_lease_ms float8, p_owner text)
    RETURNS TABLE (id bigint, item_id bigint, batch_id bigint, engine text, task text, role text, attempts integer,
                   lease_losses integer, path text, page integer, format text, sha256 text, plan_json text, cached_result_id bigint)
    LANGUAGE plpgsql AS $$
    #variable_conflict use_column
    DECLARE
      c record;
      p record;
      passed bigint[] := '{}';
    BEGIN
      LOOP
        SELECT j.id AS job_id, j.task AS job_task, j.item_id AS job_item, j.batch_id AS job_batch
          INTO c
          FROM jobs j
          WHERE j.status = 'pending' AND j.engine = p_engine AND j.available_at <= now()
            AND j.id <> ALL (passed)
            AND (SELECT b.status FROM batches b WHERE b.id = j.batch_id) = 'running'
            AND NOT (SELECT EXISTS (
                  SELECT 1 FROM items i JOIN items ti ON ti.sha256 = i.sha256 AND ti.page = i.page
                  JOIN jobs tj ON tj.item_id = ti.id AND tj.engine = j.engine AND tj.task = j.task AND tj.status = 'running'
                  JOIN batches b ON b.id = j.batch_id JOIN batches tb ON tb.id = tj.batch_id
                  WHERE i.id = j.item_id AND scandesk_plan_options(tb.plan_json) = scandesk_plan_options(b.plan_json)))
          ORDER BY j.available_at, j.id LIMIT 1
          FOR UPDATE SKIP LOCKED;
        IF NOT FOUND THEN
          RETURN;
        END IF;
        SELECT i.sha256 AS sha256, i.page AS page, scandesk_plan_options(b.plan_json) AS options INTO p
          FROM items i, batches b WHERE i.id = c.job_item AND b.id = c.job_batch;
        -- Another claim of an identical page may be committing now: whoever holds the key's
        -- lock goes first; after taking it, a fresh look sees a claim committed meanwhile.
        IF p.sha256 IS NOT NULL AND (
             NOT pg_try_advisory_xact_lock(hashtextextended(p.sha256 || ':' || p.page || ':' || p_engine || ':' || c.job_task, 7203517))
             OR EXISTS (SELECT 1 FROM items ti JOIN jobs tj ON tj.item_id = ti.id AND tj.engine = p_engine AND tj.task = c.job_task AND tj.status = 'running'
                        JOIN batches tb ON tb.id = tj.batch_id
                        WHERE ti.sha256 = p.sha256 AND ti.page = p.page AND scandesk_plan_options(tb.plan_json) = p.options)) THEN
          passed := passed || c.job_id;
          CONTINUE;
        END IF;
        UPDATE jobs SET status = 'running', allocation_id = p_allocation,
               lease_expires_at = now() + p_lease_ms * interval '1 millisecond', lease_owner = p_owner
          WHERE jobs.id = c.job_id;
        UPDATE items SET status = 'running', error_code = NULL, error_message = NULL WHERE items.id = c.job_item;
        RETURN QUERY
          SELECT j.id, j.item_id, j.batch_id, j.engine, j.task, j.role, j.attempts, j.lease_losses,
                 i.path, i.page, i.format, i.sha256, b.plan_json,
                 (SELECT rc.result_id FROM result_cache rc
                   WHERE rc.sha256 = i.sha256 AND rc.page = i.page AND rc.engine = j.engine AND rc.task = j.task
                     AND rc.options_key::jsonb = p.options LIMIT 1)
          FROM jobs j, items i, batches b
          WHERE j.id = c.job_id AND i.id = c.job_item AND b.id = c.job_batch;
        RETURN;
      END LOOP;
    END $$;

    CREATE FUNCTION scandesk_finish(
      p_job bigint, p_allocation text, p_item bigint, p_batch bigint, p_engine text, p_task text, p_role text,
      p_fallback text, p_several boolean, p_reused_from bigint,
      p_engine_version text, p_request_id text, p_bytes_sent bigint, p_scale float8, p_width integer, p_height integer, p_notices text,
      p_kind text[], p_symbology text[], p_text text[], p_bytes text[], p_field text[], p_geometry text[], p_extra text[],
      p_sha256 text, p_page integer, p_options text)
    RETURNS TABLE (outcome text, result_id bigint, detections integer, fallback_queued boolean)
    LANGUAGE plpgsql AS $$
    #variable_conflict use_column
    DECLARE
      v_item_sha256 text;
      v_result bigint;
      v_width integer := p_width;
      v_height integer := p_height;
      v_count integer;
      v_fallback boolean := false;
      v_work boolean := false;
      v_block record;
    BEGIN
      -- The page first (one lock order with the claim): a second engine's finish on the same
      -- page waits here, then sees this one's result.
      SELECT i.sha256 INTO v_item_sha256 FROM items i WHERE i.id = p_item FOR UPDATE;
      IF NOT p_several AND (EXISTS (SELECT 1 FROM results r WHERE r.item_id = p_item)
                            OR EXISTS (SELECT 1 FROM batch_rules br WHERE br.batch_id = p_batch)) THEN
        RETURN QUERY SELECT 'several'::text, NULL::bigint, 0, false;
        RETURN;
      END IF;
      UPDATE jobs SET status = 'done', error_code = NULL, error_message = NULL, finished_at = now(),
             allocation_id = NULL, lease_expires_at = NULL, lease_owner = NULL
        WHERE jobs.id = p_job AND jobs.allocation_id = p_allocation AND jobs.status = 'running';
      IF NOT FOUND THEN
        RETURN QUERY SELECT 'lost'::text, NULL::bigint, 0, false;
        RETURN;
      END IF;

      IF p_reused_from IS NULL THEN
        INSERT INTO results (job_id, item_id, engine, task, engine_version, request_id, bytes_sent, scale, page_width, page_height, reused_from, notices_json)
          VALUES (p_job, p_item, p_engine, p_task, p_engine_version, p_request_id, p_bytes_sent, p_scale, p_width, p_height, NULL, p_notices)
          RETURNING results.id INTO v_result;
        INSERT INTO detections (result_id, item_id, ord, engine, kind, symbology, text, bytes_base64, field, geometry_json, extra_json)
          SELECT v_result, p_item, t.ord - 1, p_engine, t.kind, t.symbology, t.text, t.bytes_base64, t.field, t.geometry_json, t.extra_json
          FROM unnest(p_kind, p_symbology, p_text, p_bytes, p_field, p_geometry, p_extra)
               WITH ORDINALITY AS t(kind, symbology, text, bytes_base64, field, geometry_json, extra_json, ord)
          ORDER BY t.ord;
        v_count := coalesce(array_length(p_kind, 1), 0);
      ELSE
        INSERT INTO results (job_id, item_id, engine, task, engine_version, request_id, bytes_sent, scale, page_width, page_height, reused_from, notices_json)
          SELECT p_job, p_item, p_engine, p_task, r.engine_version, r.request_id, 0, r.scale, r.page_width, r.page_height, r.id, NULL
          FROM results r WHERE r.id = p_reused_from
          RETURNING results.id, results.page_width, results.page_height INTO v_result, v_width, v_height;
        IF v_result IS NULL THEN
          RAISE EXCEPTION 'The cached result % is gone (its batch was deleted).', p_reused_from;
        END IF;
        INSERT INTO detections (result_id, item_id, ord, engine, kind, symbology, text, bytes_base64, field, geometry_json, extra_json)
          SELECT v_result, p_item, d.ord, d.engine, d.kind, d.symbology, d.text, d.bytes_base64, d.field, d.geometry_json, d.extra_json
          FROM detections d WHERE d.result_id = p_reused_from ORDER BY d.ord;
        GET DIAGNOSTICS v_count = ROW_COUNT;
        INSERT INTO result_images (result_id, kind, format, data)
          SELECT v_result, ri.kind, ri.format, ri.data FROM result_images ri WHERE ri.result_id = p_reused_from;
      END IF;
      INSERT INTO result_cache (sha256, page, engine, task, options_key, result_id)
        VALUES (p_sha256, p_page, p_engine, p_task, p_options, v_result) ON CONFLICT DO NOTHING;

      -- Fallback mode: a primary result with nothing found queues the fallback engine's job,
      -- waiting behind that engine's stop unless its result is cached already.
      IF p_role = 'primary' AND p_fallback IS NOT NULL AND p_fallback <> p_engine AND v_count = 0
         AND (SELECT b.status FROM batches b WHERE b.id = p_batch) <> 'cancelled' THEN
        SELECT j.error_code, j.error_message INTO v_block FROM jobs j
          WHERE j.batch_id = p_batch AND j.engine = p_fallback AND j.status = 'blocked'
          ORDER BY j.error_code IS NULL LIMIT 1;
        IF FOUND AND NOT EXISTS (SELECT 1 FROM result_cache rc WHERE rc.sha256 = p_sha256 AND rc.page = p_page
                                   AND rc.engine = p_fallback AND rc.task = p_task AND rc.options_key = p_options) THEN
          INSERT INTO jobs (batch_id, item_id, engine, task, role, status, error_code, error_message)
            VALUES (p_batch, p_item, p_fallback, p_task, 'fallback', 'blocked', v_block.error_code, v_block.error_message)
            ON CONFLICT DO NOTHING;
        ELSE
          INSERT INTO jobs (batch_id, item_id, engine, task, role, status)
            VALUES (p_batch, p_item, p_fallback, p_task, 'fallback', 'pending') ON CONFLICT DO NOTHING;
          v_work := true;
        END IF;
        v_fallback := true;
      END IF;

      -- The page: its size; its counts when this is its only result (every code counts, each
      -- waiting for review); its status from its jobs.
      UPDATE items SET width = coalesce(items.width, v_width), height = coalesce(items.height, v_height),
             detection_count = CASE WHEN p_several THEN items.detection_count ELSE v_count END,
             review_pending = CASE WHEN p_several THEN items.review_pending ELSE v_count END,
             (status, error_code, error_message) = (
               SELECT CASE j.status WHEN 'blocked' THEN 'pending' ELSE j.status END,
                      CASE j.status WHEN 'failed' THEN j.error_code END,
                      CASE j.status WHEN 'failed' THEN j.error_message END
               FROM jobs j WHERE j.item_id = items.id
               ORDER BY CASE j.status WHEN 'running' THEN 0 WHEN 'pending' THEN 1 WHEN 'blocked' THEN 1 ELSE 2 END,
                        j.finished_at DESC NULLS LAST, j.id DESC
               LIMIT 1)
        WHERE items.id = p_item;

      -- Identical pages left waiting for this one can now copy its result.
      IF NOT v_work AND v_item_sha256 IS NOT NULL THEN
        -- Driven from the page's bytes (items_sha), never from the pending jobs.
        v_work := EXISTS (SELECT 1 FROM items i WHERE i.sha256 = v_item_sha256 AND i.page = p_page AND i.id <> p_item
                            AND (SELECT EXISTS (SELECT 1 FROM jobs j WHERE j.item_id = i.id AND j.engine = p_engine AND j.task = p_task
                                                  AND j.status = 'pending')));
      END IF;
      PERFORM pg_notify('scandesk_batch', p_batch::text);
      IF v_work THEN
        PERFORM pg_notify('scandesk_work', '');
      END IF;
      RETURN QUERY SELECT 'ok'::text, v_result, v_count, v_fallback;
    END $$;
  `,
};
