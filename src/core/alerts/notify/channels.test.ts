import { describe, expect, it } from 'vitest';
import { resolveChannels } from './channels.ts';

describe('resolveChannels', () => {
  it('reads secrets from the environment it is given', () => {
    const channels = resolveChannels(
      {
        pd: { type: 'pagerduty', routingKeyEnv: 'PD_KEY', url: 'https://events.pagerduty.com/v2/enqueue' },
        hook: { type: 'webhook', url: 'https://h.example.com', secretEnv: 'HOOK_SECRET' },
      },
      { PD_KEY: 'abc', HOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
    );
    expect(channels.pd).toEqual({
      type: 'pagerduty',
      url: 'https://events.pagerduty.com/v2/enqueue',
      routingKey: 'abc',
    });
    expect(channels.hook).toMatchObject({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
  });

  it('stops the start when a secret is missing or malformed', () => {
    const pd = { type: 'pagerduty' as const, routingKeyEnv: 'PD_KEY', url: 'https://events.pagerduty.com/v2/enqueue' };
    expect(() => resolveChannels({ pd }, {})).toThrow(/alerts\.channels\.pd: environment variable PD_KEY is not set/);
    const hook = { type: 'webhook' as const, url: 'https://h.example.com', secret: 'not base64!' };
    expect(() => resolveChannels({ hook }, {})).toThrow(
      expect.objectContaining({
        code: 'CAIRN_INVALID_WEBHOOK_SECRET',
        message: expect.stringContaining('alerts.channels.hook.secret'),
      }),
    );
  });
});
