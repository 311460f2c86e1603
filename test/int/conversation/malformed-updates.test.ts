import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHIPPING } from '../../fixtures/shop-articles.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';
import { uniqueId } from '../../support/temporal.js';
import { assignUpdate, conversationWorkflowId, messageUpdate } from '../../../workflows/conversation.contract.js';

let sys: TestSystem;
let agentId: string;

beforeAll(async () => {
  sys = await startTestSystem('malformed-updates');
  agentId = await sys.createAgent({ articles: [SHIPPING] });
});
afterAll(async () => sys?.stop());

// The API parses with the zod schemas; another client (the Temporal CLI, a script) does not. The workflow's
// validators refuse such updates before they are written to history.
describe('an update sent around the API', () => {
  it('is refused by the workflow validator when malformed, and leaves no trace in history', async () => {
    const conv = uniqueId('malformed');
    const ok = await sys.request('POST', `/v1/agents/${agentId}/conversations/${conv}/messages`, { messageId: 'm-1', text: 'How much does express shipping cost?', channel: 'chat' });
    expect(ok.status).toBe(200);
    const handle = sys.client.workflow.getHandle(conversationWorkflowId(agentId, conv));
    const updatesInHistory = async () => ((await handle.fetchHistory()).events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
    const before = await updatesInHistory();

    const empty = handle.executeUpdate(messageUpdate, { args: [{ messageId: 'm-2', text: '  ', channel: 'chat' }] });
    await expect(empty).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(empty).rejects.toMatchObject({ cause: { message: expect.stringMatching(/invalid message: text: text is empty/) } });
    const noUser = handle.executeUpdate(assignUpdate, { args: [{ userId: '' }] });
    await expect(noUser).rejects.toMatchObject({ cause: { message: expect.stringMatching(/invalid input: userId/) } });

    expect(await updatesInHistory()).toBe(before);
  }, 60_000);
});
