import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { AppContext } from '../app-context.ts';
import type { InfraConfig } from '../config/cairn-config.ts';
import type { HandlerBundling } from '../constructs/private/handler-function.ts';
import {
  SecureFileSharing,
  type SecureFileSharingHandlers,
  type SharingHubAccess,
} from '../constructs/secure-file-sharing.ts';

export interface CairnSharingStackProps extends StackProps {
  readonly config: InfraConfig;
  readonly context: AppContext;
  readonly handlers: SecureFileSharingHandlers;
  readonly bundling: HandlerBundling;
  readonly hub?: SharingHubAccess;
}

const DAY = 86400;

/** Secure file sharing, configured from cairn.yaml's `sharing` and `auth` sections. */
export class CairnSharingStack extends Stack {
  public readonly sharing: SecureFileSharing;

  constructor(scope: Construct, id: string, props: CairnSharingStackProps) {
    super(scope, id, props);
    const { sharing, auth } = props.config.app;
    this.sharing = new SecureFileSharing(this, 'Sharing', {
      handlers: props.handlers,
      bundling: props.bundling,
      // A pending upload may be completed until its URL expires, and is kept unshared for the grace.
      pendingUploadExpiry: Duration.days(
        Math.max(1, Math.ceil((sharing.uploadUrlTtl + sharing.unsharedFileGrace) / DAY)),
      ),
      sweepInterval: Duration.minutes(Math.max(1, Math.ceil(sharing.sweepInterval / 60))),
      sessionDuration: Duration.seconds(Math.min(Math.max(auth.sessionTtl, 3600), 3650 * DAY)),
      hub: props.hub,
      appSecret: secretsmanager.Secret.fromSecretNameV2(this, 'AppSecret', props.context.appSecretName),
      webAssetsPath: props.context.webAssets,
      cognitoDomainPrefix: props.context.cognitoDomainPrefix,
      additionalCallbackUrls: props.context.callbackUrls,
      removalPolicy: props.context.removalPolicy,
      deletionProtection: props.context.deletionProtection,
    });
    new CfnOutput(this, 'Url', { value: this.sharing.publicUrl, description: 'Open Cairn here' });
    new CfnOutput(this, 'UserPoolId', { value: this.sharing.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.sharing.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'HostedUiBaseUrl', { value: this.sharing.hostedUiBaseUrl });
    new CfnOutput(this, 'FilesBucket', { value: this.sharing.filesBucket.bucketName });
    new CfnOutput(this, 'WebBucket', { value: this.sharing.webBucket.bucketName });
  }
}
