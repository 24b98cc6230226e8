import { Aws, Duration, Names, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledgements.ts';

/** The scopes the web client may ask for; the SPA asks for exactly these (config.json `scope`). */
export const WEB_CLIENT_SCOPES = [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE];

export interface SharingIdentityProps {
  readonly existingUserPool?: cognito.IUserPool;
  /** The hosted UI's base URL when an existing pool is given (its domain is not ours to create). */
  readonly existingHostedUiBaseUrl?: string;
  readonly domainPrefix?: string;
  readonly mfa: cognito.Mfa;
  readonly threatProtection: boolean;
  readonly removalPolicy: RemovalPolicy;
  readonly deletionProtection: boolean;
}

/**
 * The Cognito user pool (administrators create users; nobody signs up) and the web UI's app client:
 * the hosted UI with the authorization code grant for a public client (no secret), so the SPA must use
 * PKCE (S256) to exchange the code — no implicit grant, no password flow for the browser.
 */
export class SharingIdentity extends Construct {
  public readonly userPool: cognito.IUserPool;
  public readonly hostedUiBaseUrl: string;
  public readonly issuer: string;

  constructor(scope: Construct, id: string, props: SharingIdentityProps) {
    super(scope, id);
    if (props.existingUserPool) {
      this.userPool = props.existingUserPool;
      this.hostedUiBaseUrl = props.existingHostedUiBaseUrl!;
    } else {
      const pool = new cognito.UserPool(this, 'UserPool', {
        selfSignUpEnabled: false,
        signInAliases: { username: true, email: true },
        autoVerify: { email: true },
        standardAttributes: { email: { required: true, mutable: true } },
        passwordPolicy: {
          minLength: 12,
          requireLowercase: true,
          requireUppercase: true,
          requireDigits: true,
          requireSymbols: true,
          tempPasswordValidity: Duration.days(3),
        },
        mfa: props.mfa,
        mfaSecondFactor: { otp: true, sms: false },
        accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
        featurePlan: props.threatProtection ? cognito.FeaturePlan.PLUS : cognito.FeaturePlan.ESSENTIALS,
        standardThreatProtectionMode: props.threatProtection
          ? cognito.StandardThreatProtectionMode.FULL_FUNCTION
          : undefined,
        userInvitation: {
          emailSubject: 'Your Cairn account',
          emailBody: 'You can now sign in to Cairn as {username} with the temporary password {####}.',
        },
        deletionProtection: props.deletionProtection,
        removalPolicy: props.removalPolicy,
      });
      if (props.mfa !== cognito.Mfa.REQUIRED) {
        acknowledge(pool, 'COG2', 'MFA was made optional or off by the mfa prop of this deployment.');
      }
      if (!props.threatProtection) {
        acknowledge(
          pool,
          'COG8',
          'Threat protection (Plus plan) was turned off by the threatProtection prop of this deployment.',
        );
      }
      const prefix =
        props.domainPrefix ??
        `${Names.uniqueResourceName(this, { maxLength: 36, separator: '-' })
          .toLowerCase()
          .replace(/[^a-z0-9-]/g, '')}-${Aws.ACCOUNT_ID}`;
      const domain = pool.addDomain('HostedUi', { cognitoDomain: { domainPrefix: prefix } });
      this.userPool = pool;
      this.hostedUiBaseUrl = domain.baseUrl();
    }
    this.issuer = `https://cognito-idp.${Aws.REGION}.${Aws.URL_SUFFIX}/${this.userPool.userPoolId}`;
  }

  /**
   * The web UI's client; made once the distribution's URLs (the callback URLs) are known. The SPA
   * (src/web/lib/oauth-*.ts) sends `<origin>/auth/callback` as redirect_uri and `<origin>/` as the
   * logout_uri, so each origin it is served from must appear in both lists.
   */
  addWebClient(callbackUrls: string[], logoutUrls: string[], sessionDuration: Duration): cognito.UserPoolClient {
    return this.userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: WEB_CLIENT_SCOPES,
        callbackUrls,
        logoutUrls,
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: sessionDuration,
    });
  }
}
