import { describe, expect, it } from 'vitest';
import { DEFAULT_HANDOFF } from '../../../domain/handoff-defaults.js';
import { HandoffSettings } from '../../../domain/handoff.js';

describe('the default handoff settings', () => {
  it('are the schema defaults, written out so workflows need no zod', () => {
    expect(DEFAULT_HANDOFF).toEqual(HandoffSettings.parse({}));
  });
});
