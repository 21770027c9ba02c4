import { openScanService } from '../../electron/core/service';
import { LocalEngine } from '../../electron/core/engines/local';
import { expandPaths } from '../../electron/core/intake';
import { writeExport } from '../../electron/core/export';
import type { IntakeResult } from '../../electron/core/intake/types';
import type { ScanService } from '../../electron/core/service-types';

/**
 * The real engine over one SQLite file, its parts named explicitly (intake, the local decoder,
 * the export writer) so the UI tests do not depend on how the defaults are wired. The browser
 * host is given this service; close both with `close()`.
 *
 * `intake` replaces intake for the folders it knows (the UI benchmark lists 10,000 symbolic links
 * to a few real images without hashing each one); every other path goes to the real intake.
 */
export async function openRealService(
  dbPath: string,
  intake?: (paths: string[]) => IntakeResult | null,
): Promise<{ service: ScanService; close: () => Promise<void> }> {
  const engine = new LocalEngine();
  const service = await openScanService({
    dbPath,
    engines: [engine],
    intake: async (paths) => intake?.(paths) ?? expandPaths(paths),
    writeExport,
  });
  return {
    service,
    close: async () => {
      await service.close();
      await engine.close();
    },
  };
}
