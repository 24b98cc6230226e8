/**
 * Channels as the sender uses them: config with its secrets resolved. The environment is passed in (the
 * core reads no process state), so the runtime resolves once at start and a missing variable fails then.
 */
import type { ChannelConfig } from '../../../config/alerts.ts';
import { invalid } from '../../errors.ts';
import { standardWebhooksKey } from '../ingest/index.ts';

export type ResolvedChannel =
  | { type: 'slack'; url: string }
  | { type: 'mattermost'; url: string; channel?: string }
  | { type: 'teams'; url: string }
  | { type: 'pagerduty'; url: string; routingKey: string }
  | {
      type: 'email';
      from: string;
      to: string[];
      smtp: { host: string; port: number; secure: boolean; user?: string; password?: string };
    }
  | { type: 'webhook'; url: string; secret: string | null };

export const CHANNEL_SECRET_MISSING = 'CAIRN_ALERT_CHANNEL_SECRET_MISSING';

function fromEnv(env: Record<string, string | undefined>, name: string, where: string): string {
  const value = env[name];
  if (!value) throw invalid(CHANNEL_SECRET_MISSING, `${where}: environment variable ${name} is not set`);
  return value;
}

export function resolveChannel(
  name: string,
  c: ChannelConfig,
  env: Record<string, string | undefined>,
): ResolvedChannel {
  const where = `alerts.channels.${name}`;
  switch (c.type) {
    case 'pagerduty': {
      const routingKey = c.routingKey ?? (c.routingKeyEnv ? fromEnv(env, c.routingKeyEnv, where) : null);
      if (!routingKey) throw invalid(CHANNEL_SECRET_MISSING, `${where}: give routingKey or routingKeyEnv`);
      return { type: 'pagerduty', url: c.url, routingKey };
    }
    case 'webhook': {
      const secret = c.secret ?? (c.secretEnv ? fromEnv(env, c.secretEnv, where) : null);
      if (secret) standardWebhooksKey(secret, `${where}.secret`); // a bad secret stops the start, not each send
      return { type: 'webhook', url: c.url, secret };
    }
    case 'email': {
      const { passwordEnv, ...smtp } = c.smtp;
      const password = passwordEnv ? fromEnv(env, passwordEnv, where) : undefined;
      return { type: 'email', from: c.from, to: c.to, smtp: { ...smtp, ...(password ? { password } : {}) } };
    }
    default:
      return c;
  }
}

export function resolveChannels(
  channels: Record<string, ChannelConfig>,
  env: Record<string, string | undefined>,
): Record<string, ResolvedChannel> {
  return Object.fromEntries(Object.entries(channels).map(([name, c]) => [name, resolveChannel(name, c, env)]));
}
