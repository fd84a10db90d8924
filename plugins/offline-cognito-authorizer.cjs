'use strict';

// LOCAL ONLY. serverless-offline's authentication for `sls offline` (custom.offline.customAuthenticationProvider):
// it verifies Cognito JWTs the way API Gateway's HTTP API JWT authorizer does deployed (RS256 signature against
// the pool's JWKS, iss, aud or client_id, exp/iat) plus token_use, against the pool `make dev` creates in moto.
// serverless-offline's own JWT support only decodes a token, never checks its signature or issuer.
//
// Never deploy it, never point it at anything but moto: moto signs every pool's tokens with one key whose
// private half is published in moto's source, so anyone can mint a token it accepts for any pool; only the
// issuer check tells the local pool from another. `plugins/` is not in any function's package, and the JWKS
// URL must be on loopback (docs/security.md).
//
// serverless-offline calls module.exports(endpoint, functionKey, method, path) once per HTTP route, for EVERY
// route (with an authorizer or not, even with --noAuth), instead of its own authorizer set-up, and expects a
// hapi auth scheme: { name, scheme, getAuthenticateFunction }. It passes no serverless configuration, so the
// settings come from the environment `scripts/dev.py` gives `sls offline start`:
//   OFFLINE_JWT_ISSUER      https://cognito-idp.<region>.amazonaws.com/<pool id>   (what moto puts in iss)
//   OFFLINE_JWT_AUDIENCE    the app client id(s), comma-separated
//   OFFLINE_JWT_JWKS_URL    http://127.0.0.1:<moto port>/<pool id>/.well-known/jwks.json
//   OFFLINE_JWT_TOKEN_USE   accepted token_use values, comma-separated (default: access)
//   OFFLINE_JWT_AUTHORIZER  the authorizer name routes reference (default: cognito)

// Cognito's longest access or id token validity is one day: an older iat is not a Cognito token's.
const MAX_TOKEN_AGE = '24h';
// API Gateway takes the token with or without the Bearer prefix. An empty signature (alg none) is let through
// here to be refused by the verification, the one place that decides.
const COMPACT_JWS = /^(?:Bearer )?([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

function list(value) {
  return (value || '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function settingsFromEnv(env = process.env) {
  const settings = {
    issuer: env.OFFLINE_JWT_ISSUER,
    audience: list(env.OFFLINE_JWT_AUDIENCE),
    jwksUrl: env.OFFLINE_JWT_JWKS_URL,
    tokenUse: list(env.OFFLINE_JWT_TOKEN_USE || 'access'),
    authorizerName: env.OFFLINE_JWT_AUTHORIZER || 'cognito',
  };
  const missing = ['OFFLINE_JWT_ISSUER', 'OFFLINE_JWT_AUDIENCE', 'OFFLINE_JWT_JWKS_URL'].filter((name) => !env[name]);
  if (missing.length) {
    throw new Error(`offline-cognito-authorizer: ${missing.join(', ')} not set (make dev sets them)`);
  }
  // moto's keys are public: a JWKS anywhere but on this machine would mean this provider is trusted for real.
  const jwks = new URL(settings.jwksUrl);
  if (jwks.protocol !== 'http:' || !LOOPBACK_HOSTS.has(jwks.hostname)) {
    throw new Error(`offline-cognito-authorizer: the JWKS must be moto's, on loopback, not ${settings.jwksUrl}`);
  }
  return settings;
}

/** verify(token) -> the token's claims; throws on any failure. */
function createVerifier(settings) {
  const jose = import('jose'); // jose 6 is ESM only
  let jwks;
  return async function verify(token) {
    const { createRemoteJWKSet, jwtVerify } = await jose;
    jwks ??= createRemoteJWKSet(new URL(settings.jwksUrl), { timeoutDuration: 2000 });
    const { payload } = await jwtVerify(token, jwks, {
      algorithms: ['RS256'], // Cognito signs with RS256 only; this also refuses alg none and HMAC confusion
      issuer: settings.issuer, // moto signs every pool's tokens with one key: the issuer separates pools
      maxTokenAge: MAX_TOKEN_AGE, // also requires iat, and refuses one in the future
      requiredClaims: ['exp', 'iat', 'sub', 'token_use'],
    });
    // As API Gateway: aud (id tokens) must name an accepted client; only without aud, client_id (access tokens).
    const audiences = payload.aud === undefined ? [payload.client_id] : [].concat(payload.aud);
    if (!audiences.some((audience) => settings.audience.includes(audience))) {
      throw new Error('audience/client_id not accepted');
    }
    // An id token of the right client would pass every check above; the API takes access tokens only.
    if (!settings.tokenUse.includes(payload.token_use)) {
      throw new Error(`token_use ${payload.token_use} not accepted`);
    }
    return payload;
  };
}

/** The verdict on one request's headers: { claims } or { refused: reason }. */
async function check(request, verify) {
  // serverless-offline would let this header (or the AUTHORIZER variable) replace the event's authorizer
  // context, claims included, whatever the token: a request could name any shopper.
  if (request.headers['sls-offline-authorizer-override'] !== undefined || process.env.AUTHORIZER) {
    return { refused: 'authorizer override refused' };
  }
  // hapi keeps the first Authorization header, serverless-offline puts the last one's claims in the event:
  // with two, a verified token could carry another, unverified one's claims to the function.
  const raw = request.raw.req.rawHeaders;
  const count = raw.filter((name, index) => index % 2 === 0 && name.toLowerCase() === 'authorization').length;
  if (count !== 1) {
    return { refused: `${count} Authorization headers` };
  }
  const match = COMPACT_JWS.exec(request.headers.authorization);
  if (!match) {
    return { refused: 'no bearer JWT' };
  }
  try {
    return { claims: await verify(match[1]) };
  } catch (error) {
    return { refused: `${error.code || error.name}: ${error.message}` };
  }
}

let shared; // one verifier, so one JWKS cache, for every route

module.exports = function offlineCognitoAuthorizer(endpoint, functionKey, method, path) {
  const name = `offline-cognito-${functionKey}-${method}-${path}`;
  const authorizer = endpoint.authorizer;
  const log = (message) => console.log(`[offline-cognito-authorizer] ${method} ${path}: ${message}`);
  const scheme = (authenticate) => ({ name, scheme: name, getAuthenticateFunction: () => ({ authenticate }) });

  if (!authorizer) {
    // This provider replaces serverless-offline's set-up for every route: a public route stays public, as on AWS.
    return scheme(async (request, h) => h.authenticated({ credentials: {} }));
  }
  shared ??= (() => {
    const settings = settingsFromEnv();
    return { settings, verify: createVerifier(settings) };
  })();
  const authorizerName = typeof authorizer === 'string' ? authorizer : authorizer.name;
  if (authorizerName !== shared.settings.authorizerName) {
    // Fail at start-up rather than serve a route whose authorizer nothing checks.
    throw new Error(`offline-cognito-authorizer: ${method} ${path} uses authorizer '${authorizerName}', not handled`);
  }
  return scheme(async (request, h) => {
    const verdict = await check(request, shared.verify);
    if (verdict.refused) {
      log(`401 ${verdict.refused}`);
      // API Gateway HTTP API's answer when its JWT authorizer refuses a request.
      return h.response({ message: 'Unauthorized' }).code(401).takeover();
    }
    const { claims } = verdict;
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : null;
    return h.authenticated({ credentials: { claims, scopes } });
  });
};

module.exports.settingsFromEnv = settingsFromEnv;
module.exports.createVerifier = createVerifier;
