/**
 * The contract between the CDK app and the SPA: the config.json that SecureFileSharing uploads next to
 * the bundle is read by src/web/lib/oauth-config.ts as Cognito mode, and its values are the ones the
 * app client, the hosted UI domain and the edge function were made with.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SecureFileSharing } from '../../infra/lib/constructs/secure-file-sharing.ts';
import { PLACEHOLDER, PROJECT_ROOT, testStack } from '../../infra/test/helpers.ts';
import { parseAuthConfig, type AuthConfig } from '../../src/web/lib/oauth-config.ts';

describe('config.json written by the CDK app', () => {
  let config: AuthConfig;
  let t: Template;

  beforeAll(() => {
    const { app, stack } = testStack();
    new SecureFileSharing(stack, 'Sharing', {
      handlers: { api: PLACEHOLDER, sweeper: PLACEHOLDER },
      bundling: { projectRoot: PROJECT_ROOT },
      webAssetsPath: 'src/web/public',
      additionalCallbackUrls: ['http://localhost:5173/auth/callback'],
    });
    t = Template.fromStack(stack);
    const deployment = Object.values(t.findResources('Custom::CDKBucketDeployment'))[0]!.Properties;
    // The second source is config.json (Source.jsonData): an asset whose tokens are markers, resolved at deploy time.
    const hash = String(deployment.SourceObjectKeys[1]).replace(/\.zip$/, '');
    let text = readFileSync(join(app.synth().directory, `asset.${hash}`, 'config.json'), 'utf8');
    for (const [marker, value] of Object.entries(deployment.SourceMarkers[1] as Record<string, { Ref: string }>)) {
      text = text.replaceAll(marker, `<${value.Ref}>`);
    }
    config = parseAuthConfig(JSON.parse(text))!;
  });

  const ref = (type: string) => `<${Object.keys(t.findResources(type))[0]}>`;
  const client = () => Object.values(t.findResources('AWS::Cognito::UserPoolClient'))[0]!.Properties;
  const joined = (v: unknown) =>
    (v as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1]
      .map((p) => (typeof p === 'string' ? p : `<${(p as { Ref?: string }).Ref ?? 'token'}>`))
      .join('');

  it('turns on Cognito mode for this pool, this client and its hosted UI domain', () => {
    expect(config).not.toBeNull();
    expect(config.clientId).toBe(ref('AWS::Cognito::UserPoolClient'));
    expect(config.issuer).toBe(`https://cognito-idp.<AWS::Region>.<AWS::URLSuffix>/${ref('AWS::Cognito::UserPool')}`);
    expect(config.hostedUiBaseUrl).toBe(
      `https://${ref('AWS::Cognito::UserPoolDomain')}.auth.eu-west-1.amazoncognito.com`,
    );
  });

  it("names a callback path and scopes the app client allows, and a logout URL for each callback's origin", () => {
    const callbacks = (client().CallbackURLs as unknown[]).map((u) => (typeof u === 'string' ? u : joined(u)));
    expect(callbacks).toContain(`https://<token>${config.callbackPath}`);
    expect(callbacks).toContain('http://localhost:5173/auth/callback');
    const logouts = (client().LogoutURLs as unknown[]).map((u) => (typeof u === 'string' ? u : joined(u)));
    expect(logouts).toEqual(['https://<token>/', 'http://localhost:5173/']);
    expect(config.scope.split(' ')).toEqual(client().AllowedOAuthScopes);
    expect(client().AllowedOAuthFlows).toEqual(['code']);
  });

  it('names the cookie and sign-in path the edge function uses, which lets the callback path through', () => {
    const code = JSON.stringify(
      Object.values(t.findResources('AWS::CloudFront::Function'))[0]!.Properties.FunctionCode,
    );
    expect(code).toContain(`var COOKIE = \\"${config.sessionCookieName}\\"`);
    expect(code).toContain(`var SIGN_IN = \\"${config.signInPath}\\"`);
    expect(code).toContain('\\"/auth/\\"');
    expect(config.callbackPath.startsWith('/auth/')).toBe(true);
  });
});
