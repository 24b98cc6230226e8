import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readAppContext } from './app-context.ts';
import { readCairnConfig } from './config/cairn-config.ts';
import type { EventNotificationHubHandlers } from './constructs/event-notification-hub.ts';
import type { LegacyBackupHandlers } from './constructs/legacy-backup.ts';
import type { SecureFileSharingHandlers } from './constructs/secure-file-sharing.ts';
import { CairnBackupsStack } from './stacks/cairn-backups-stack.ts';
import { CairnHubStack } from './stacks/cairn-hub-stack.ts';
import { CairnSharingStack } from './stacks/cairn-sharing-stack.ts';

export interface CairnHandlers {
  readonly sharing: SecureFileSharingHandlers;
  readonly hub: EventNotificationHubHandlers;
  readonly backups: LegacyBackupHandlers;
}

/** The handlers of src/runtime/lambda/, relative to the repository root. */
export const LAMBDA_HANDLERS: CairnHandlers = {
  sharing: { api: 'src/runtime/lambda/http.ts', sweeper: 'src/runtime/lambda/share-sweeper.ts' },
  hub: {
    enrich: 'src/runtime/lambda/enrich-worker.ts',
    notifier: 'src/runtime/lambda/notifier.ts',
    channelSender: 'src/runtime/lambda/channel-sender.ts',
    subscriptionDeliverer: 'src/runtime/lambda/subscription-deliverer.ts',
  },
  backups: { planner: 'src/runtime/lambda/backup-planner.ts', chunk: 'src/runtime/lambda/backup-chunk.ts' },
};

export interface CairnAppOptions {
  readonly projectRoot: string;
  readonly handlers: CairnHandlers;
  readonly appProps?: AppProps;
}

/**
 * The CDK app: the hub first (the other two publish to it), then sharing and backups, all checked by
 * cdk-nag's AwsSolutions pack — a finding nobody acknowledged with a reason fails the synth.
 */
export function buildCairnApp(options: CairnAppOptions) {
  const app = new App(options.appProps);
  const context = readAppContext(app.node, options.projectRoot);
  const config = readCairnConfig(context.configFile);
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const bundling = { projectRoot: options.projectRoot, configFile: config.file ?? undefined };
  const p = context.stackPrefix;

  const hub = new CairnHubStack(app, `${p}Hub`, {
    env,
    config,
    context,
    bundling,
    handlers: options.handlers.hub,
    description: 'Cairn: event notification hub',
  });
  const sharing = new CairnSharingStack(app, `${p}Sharing`, {
    env,
    config,
    context,
    bundling,
    handlers: options.handlers.sharing,
    hub: {
      eventsQueue: hub.hub.eventsQueue,
      eventsDeadLetterQueue: hub.hub.events.deadLetterQueue,
      historyTable: hub.hub.historyTable,
      stateTable: hub.hub.stateTable,
    },
    description: 'Cairn: secure file sharing',
  });
  const backups = new CairnBackupsStack(app, `${p}Backups`, {
    env,
    config,
    context,
    bundling,
    handlers: options.handlers.backups,
    eventsQueue: hub.hub.eventsQueue,
    description: 'Cairn: legacy backups',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, context, config, stacks: { hub, sharing, backups } };
}
