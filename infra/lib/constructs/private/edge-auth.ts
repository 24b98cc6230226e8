/**
 * The CloudFront Function (cloudfront-js-2.0, viewer request) that guards the web UI's pages.
 *
 * Why a CloudFront Function and not Lambda@Edge: it runs in every edge location in under a
 * millisecond, costs a sixth of Lambda@Edge per request, deploys with the stack in any region (Lambda@Edge
 * must live in us-east-1) and needs no handler code outside infra/. Its limit is that it cannot verify
 * an RS256 signature (the runtime's crypto has hashes and HMAC only), so it checks the session cookie's
 * issuer, token use and expiry — enough to send a signed-out visitor to sign in. It is a gate for
 * the UI's HTML, not the security boundary: the bucket holds only the public, identical-for-everyone
 * SPA bundle, and every byte of user data goes through the HTTP API, whose JWT authorizer verifies the
 * signature of the Cognito token on each request.
 */
export interface EdgeAuthOptions {
  /** The Cognito issuer, https://cognito-idp.<region>.amazonaws.com/<userPoolId> (may be a token). */
  readonly issuer: string;
  /** The cookie the SPA writes with the Cognito ID token after the PKCE code exchange. */
  readonly cookieName: string;
  /** Where a signed-out visitor is sent, with ?next=<the page asked for, with its query string>. */
  readonly signInPath: string;
  /** Path prefixes served without a session: sign-in pages, share landing pages, static assets. */
  readonly publicPrefixes: readonly string[];
}

export function edgeAuthCode(o: EdgeAuthOptions): string {
  return `var ISSUER = ${JSON.stringify(o.issuer)};
var COOKIE = ${JSON.stringify(o.cookieName)};
var SIGN_IN = ${JSON.stringify(o.signInPath)};
var PUBLIC = ${JSON.stringify(o.publicPrefixes)};

function claimsOf(token) {
  var parts = token.split('.');
  if (parts.length !== 3) return null;
  var b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
  while (b64.length % 4) b64 += '=';
  try { return JSON.parse(Buffer.from(b64, 'base64').toString('utf8')); } catch (e) { return null; }
}

function hasSession(cookies) {
  var c = cookies && cookies[COOKIE];
  if (!c || !c.value) return false;
  var claims = claimsOf(c.value);
  return !!claims && claims.iss === ISSUER && claims.token_use === 'id' &&
    typeof claims.exp === 'number' && claims.exp > Math.floor(Date.now() / 1000);
}

function isPublic(uri) {
  for (var i = 0; i < PUBLIC.length; i++) if (uri.indexOf(PUBLIC[i]) === 0) return true;
  return false;
}

// The page asked for, query string included; CloudFront hands the values over as the viewer encoded them.
function pageOf(request) {
  var parts = [];
  var qs = request.querystring || {};
  for (var name in qs) {
    var values = qs[name].multiValue || [qs[name]];
    for (var i = 0; i < values.length; i++) parts.push(values[i].value === '' ? name : name + '=' + values[i].value);
  }
  return parts.length ? request.uri + '?' + parts.join('&') : request.uri;
}

function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (!isPublic(uri) && !hasSession(request.cookies)) {
    return {
      statusCode: 302,
      statusDescription: 'Found',
      headers: {
        location: { value: SIGN_IN + '?next=' + encodeURIComponent(pageOf(request)) },
        'cache-control': { value: 'no-store' }
      }
    };
  }
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}
`;
}
