import type { AlertsConfig, SourceConfig } from '../../config/alerts.ts';

/**
 * Sources the hub has without configuration: `cairn` (domain events of the other capabilities, from
 * the outbox) and `cloudwatch` (alarm state changes of the log agent, shaped as EventBridge's
 * "CloudWatch Alarm State Change"). They never arrive over HTTP, so they need no secret.
 */
const BUILTIN: Record<string, SourceConfig> = {
  cairn: {
    verify: { scheme: 'bearer', tolerance: 300 },
    fields: { title: '$.type', summary: '$.summary', severity: '$.type' },
    severityMap: { 'backup.failed': 'error', 'backup.late': 'warning' },
    resolvedValues: [],
    defaultSeverity: 'info',
    labels: { service: 'cairn' },
  },
  cloudwatch: {
    verify: { scheme: 'bearer', tolerance: 300 },
    fields: {
      title: '$.detail.alarmName',
      summary: '$.detail.state.reason',
      status: '$.detail.state.value',
      severity: '$.detail.labels.severity',
      service: '$.detail.labels.service',
      fingerprint: '$.resources[0]',
    },
    severityMap: {},
    resolvedValues: ['OK'],
    defaultSeverity: 'error',
    labels: {},
  },
};

/** Enrichment sees the built-in sources unless cairn.yaml defines a source of the same name. */
export function withBuiltinSources(config: AlertsConfig): AlertsConfig {
  return { ...config, sources: { ...BUILTIN, ...config.sources } };
}
