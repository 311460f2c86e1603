/** Writes a workflow's history where the replay test finds it, in the format it reads. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';

export async function saveHistory(handle: WorkflowHandle, name: string): Promise<void> {
  const history = await handle.fetchHistory();
  const out = fileURLToPath(new URL(`./histories/${name}.json`, import.meta.url));
  // proto3 JSON, the format `temporal workflow show --output json` writes and the replayer reads.
  writeFileSync(out, `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 1)}\n`);
  console.log(`recorded ${history.events?.length} events to ${out}`);
}
