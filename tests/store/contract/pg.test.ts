import { afterAll, beforeAll } from 'vitest';
import { PgStore } from '../../../electron/core/store/pg-store';
import { startPostgres, type PgCluster } from '../../support/postgres';
import { storeContract } from './store-contract';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(() => cluster?.stop());

storeContract('PgStore', {
  async open() {
    const url = await cluster.createDatabase();
    return { store: await PgStore.open(url), openAnother: () => PgStore.open(url) };
  },
});
