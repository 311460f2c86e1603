import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { Connection } from '@temporalio/client';
import { registerSearchAttributes, startDevServer, type DevServer } from '../../../workers/dev-server.js';
import { DEFAULT_TEMPORAL_CLI_VERSION, ensureTemporalCli } from '../../../workers/temporal-cli.js';
import { SEARCH_ATTRIBUTES } from '../../../workflows/conversation.contract.js';
import { temporalAddress } from '../../support/temporal.js';

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

describe('startDevServer', () => {
  let server: DevServer | undefined;
  afterAll(() => server?.stop());

  it('starts, has our search attributes, and stops cleanly', async () => {
    const binary = await ensureTemporalCli({ version: DEFAULT_TEMPORAL_CLI_VERSION });
    server = await startDevServer({ binary, headless: true });
    const connection = await Connection.connect({ address: server.address });
    try {
      const info = await connection.workflowService.getSystemInfo({});
      expect(info.serverVersion).toBeTruthy();
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
      for (const a of SEARCH_ATTRIBUTES) expect(customAttributes?.[a.name], a.name).toBe(2 /* KEYWORD */);
      // Idempotent on a cluster that already has them.
      await registerSearchAttributes(connection, 'default');
    } finally {
      await connection.close();
    }
    const port = Number(server.address.split(':').at(-1));
    await server.stop();
    server = undefined;
    expect(await portFree(port)).toBe(true);
  });
});

describe('global setup', () => {
  it('provides a reachable shared server', async () => {
    const connection = await Connection.connect({ address: temporalAddress() });
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
      expect(Object.keys(customAttributes ?? {})).toEqual(expect.arrayContaining(SEARCH_ATTRIBUTES.map((a) => a.name)));
    } finally {
      await connection.close();
    }
  });
});
