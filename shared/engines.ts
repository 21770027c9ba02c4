/**
 * The cloud vendors, by id. Each one is described once, in its folder under
 * electron/core/vendors/<id>/definition.ts (name, tasks, credentials, settings, engine, connection
 * test, readiness); the contract needs only the ids. Adding a vendor: its folder, one entry in
 * electron/core/vendors/index.ts, and its id here.
 */
export const VENDOR_IDS = ['tencent', 'wechat', 'alioss'] as const;
export type VendorId = (typeof VENDOR_IDS)[number];

/** The recognition engines the product knows. `local` is the embedded offline decoder. */
export const ENGINE_IDS = ['local', ...VENDOR_IDS] as const;
export type EngineId = (typeof ENGINE_IDS)[number];

/**
 * What to look for on a page:
 * - `codes`: barcodes and 2-D codes (every engine);
 * - `text`: lines of printed text (WeChat printedTextOCR);
 * - `idcard`: fields of a Chinese resident identity card (Tencent IDCardOCR).
 */
export const TASKS = ['codes', 'text', 'idcard'] as const;
export type Task = (typeof TASKS)[number];

/**
 * Which engine(s) a batch uses.
 * - single: every page goes to `engine`;
 * - fallback: every page goes to `engine` first (normally 'local'); pages where it found
 *   nothing go to `fallback` (saves paying a vendor for the easy pages).
 */
export interface EnginePlan {
  engine: EngineId;
  task: Task;
  fallback?: EngineId | null;
  /** Engine-specific options, validated by that engine (e.g. IDCardOCR CardSide/Config). */
  options?: Record<string, unknown>;
}
