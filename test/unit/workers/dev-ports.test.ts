import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseDevServerPorts, freePort, portIsFree } from '../../../workers/dev-server.js';

describe('a second npm start beside a running one', () => {
  let busy: net.Server;
  let busyPort: number;
  beforeAll(async () => {
    busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    busyPort = (busy.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => busy.close(() => r())));

  it('keeps the configured gRPC and Web UI ports while they are free', async () => {
    const [port, uiPort] = [await freePort(), await freePort()];
    expect(await chooseDevServerPorts({ port, uiPort })).toEqual({ port, uiPort, notes: [] });
  });

  it('leaves a busy Web UI port to the dev server to choose, and says so', async () => {
    const port = await freePort();
    const chosen = await chooseDevServerPorts({ port, uiPort: busyPort });
    expect(chosen).toEqual({ port, notes: [expect.stringMatching(new RegExp(`Web UI port ${busyPort} is in use .*TEMPORAL_UI_PORT`))] });
  });

  it('does the same for a busy gRPC port, and for both at once', async () => {
    const chosen = await chooseDevServerPorts({ port: busyPort, uiPort: busyPort });
    expect(chosen.port).toBeUndefined();
    expect(chosen.uiPort).toBeUndefined();
    expect(chosen.notes).toHaveLength(2);
    expect(chosen.notes[0]).toMatch(new RegExp(`gRPC port ${busyPort} is in use`));
  });

  it('portIsFree tells a listening port from a free one', async () => {
    expect(await portIsFree(busyPort)).toBe(false);
    expect(await portIsFree(await freePort())).toBe(true);
  });
});
