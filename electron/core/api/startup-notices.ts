import type { EngineRegistry } from '../engines/registry';
import { sweepVendorsAtStart } from '../vendors/startup-sweep';
import type { Logger } from './errors';

/**
 * Notices from the app's or host's start (not about a batch: e.g. OSS pages an earlier run
 * left that could not be deleted). Kept for a renderer that connects later (app.info carries
 * them) and sent at once to one that is there (a `notice` event with batchId 0).
 */
export class StartupNotices {
  private readonly messages: string[] = [];

  constructor(private readonly send: (engine: string, message: string) => void = () => undefined) {}

  add(engine: string, messages: readonly string[]): void {
    for (const m of messages) {
      this.messages.push(m);
      this.send(engine, m);
    }
  }

  all(): string[] {
    return [...this.messages];
  }
}

/** Runs the start-up cleanup of the cloud vendors in the background; failures become notices (and log lines). */
export function sweepInBackground(registry: EngineRegistry, dataDir: string, notices: StartupNotices, log: Logger): Promise<void> {
  return sweepVendorsAtStart(registry, dataDir).then(
    (messages) => {
      for (const m of messages) log(`alioss: ${m}`);
      notices.add('alioss', messages);
    },
    (err: unknown) => log('alioss: the start-up cleanup failed', err),
  );
}
