import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';

describe('examples/cairn.yaml (the README runs it)', () => {
  it('loads without an error and declares the source, channel and route the README uses', () => {
    const config = loadConfig({ CAIRN_CONFIG: 'examples/cairn.yaml' }, new URL('../../', import.meta.url).pathname);
    expect(Object.keys(config.alerts.sources)).toContain('grafana');
    expect(config.alerts.channels['ops-slack']).toMatchObject({ type: 'slack' });
    expect(config.alerts.routes[0]?.channels).toEqual(['ops-slack']);
  });
});
