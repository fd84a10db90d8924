// Shopper accounts, through amazon-cognito-identity-js (frontend/vendor/,
// loaded before the modules as window.AmazonCognitoIdentity): sign-up with an
// e-mailed code, SRP sign-in (the password never leaves the page), sign-out,
// and a session whose access token is refreshed before it expires.
//
// Tokens live in this tab's sessionStorage (docs/security.md, "Signing in
// from the storefront"): a reload keeps the shopper signed in, closing the
// tab ends it, and nothing is left in the browser for the next person.
//
// Every answer is { ok: true, ... } or { ok: false, code, message }, never a
// rejection, like api.js.

const PREFIX = 'CognitoIdentityServiceProvider.';
// The e-mail typed at sign-in, by sub: moto's id tokens carry the sub as
// "email" (docs/aws-differences.md); Cognito's carry the address.
const TYPED_EMAIL = `${PREFIX}storefront.typedEmail`;
// Refresh this long before the access token expires (15 minutes deployed).
const REFRESH_MARGIN_S = 60;

// The library's Storage: sessionStorage, or memory where storage is off.
export function tabStorage() {
  const memory = new Map();
  const store = (() => { try { window.sessionStorage.getItem('x'); return window.sessionStorage; } catch { return null; } })();
  return {
    getItem: (k) => (store ? store.getItem(k) : memory.has(k) ? memory.get(k) : null),
    setItem: (k, v) => { try { if (store) store.setItem(k, v); else memory.set(k, String(v)); } catch { memory.set(k, String(v)); } },
    removeItem: (k) => { try { if (store) store.removeItem(k); } catch { /* off */ } memory.delete(k); },
    clear: () => {
      memory.clear();
      if (!store) return;
      for (const k of Object.keys(store)) if (k.startsWith(PREFIX)) store.removeItem(k);
    },
  };
}

// The library reports Cognito's error names; a few get a shopper's wording.
const MESSAGES = {
  NotAuthorizedException: 'Incorrect e-mail or password.',
  UserNotFoundException: 'Incorrect e-mail or password.',
  UsernameExistsException: 'An account with this e-mail already exists. Sign in instead.',
  InvalidPasswordException: 'Use at least 12 characters, with upper and lower case letters and a digit.',
  CodeMismatchException: 'That code is not right. Check the e-mail we sent, or send a new code.',
  ExpiredCodeException: 'That code has expired. Send a new code.',
  LimitExceededException: 'Too many attempts. Wait a few minutes, then try again.',
  TooManyRequestsException: 'Too many attempts. Wait a few minutes, then try again.',
  UserNotConfirmedException: 'Confirm your e-mail address first: enter the code we sent.',
};

function failure(error) {
  const code = (error && (error.code || error.name)) || 'Error';
  if (error && error.message === 'Network error') {
    return { ok: false, code: 'NetworkError', message: "Couldn't reach the sign-in service. Check your connection and try again." };
  }
  return { ok: false, code, message: MESSAGES[code] || (error && error.message) || 'Something went wrong. Try again.' };
}

// Callback-style library calls as promises that resolve to ok/failure.
const call = (fn) => new Promise((resolve) => {
  try {
    fn((error, result) => resolve(error ? failure(error) : { ok: true, result }));
  } catch (error) {
    resolve(failure(error));
  }
});

function revoke({ endpoint, clientId }, token) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 5_000);
  fetch(endpoint, {
    method: 'POST',
    mode: 'cors',
    cache: 'no-store',
    signal: controller.signal,
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.RevokeToken' },
    body: JSON.stringify({ Token: token, ClientId: clientId }),
  }).catch(() => {}).finally(() => clearTimeout(timer));
}

export function createAuth(cognito, { storage = tabStorage(), now = () => Date.now() } = {}) {
  const lib = window.AmazonCognitoIdentity;
  if (!lib) throw new Error('the sign-in library did not load');
  const pool = new lib.CognitoUserPool({
    UserPoolId: cognito.userPoolId, ClientId: cognito.clientId, endpoint: cognito.endpoint, Storage: storage,
  });
  const listeners = new Set();
  let user = null;
  let session = null;
  let refreshing = null; // one refresh at a time, shared by concurrent callers

  const cognitoUser = (email) => new lib.CognitoUser({ Username: email, Pool: pool, Storage: storage });
  const notify = () => listeners.forEach((fn) => fn(shopper()));

  function shopper() {
    if (!session) return null;
    const id = session.getIdToken().decodePayload();
    const access = session.getAccessToken().decodePayload();
    let typed = null;
    try { typed = JSON.parse(storage.getItem(TYPED_EMAIL)); } catch { /* none */ }
    const fallback = typed && typed.sub === access.sub ? typed.email : '';
    return { sub: access.sub, email: (typeof id.email === 'string' && id.email.includes('@') ? id.email : fallback) || '' };
  }

  function forget() {
    if (user) user.signOut(); // clears the tokens from storage (no network)
    storage.removeItem(TYPED_EMAIL);
    user = null;
    session = null;
    notify();
  }

  // Seconds the access token has left, on the server's clock (the library
  // keeps the drift between it and this one).
  function secondsLeft() {
    const drift = session.getClockDrift() || 0;
    return session.getAccessToken().getExpiration() - (Math.floor(now() / 1000) - drift);
  }

  async function refresh() {
    if (!refreshing) {
      const token = session.getRefreshToken();
      refreshing = call((done) => user.refreshSession(token, done)).then((answer) => {
        refreshing = null;
        if (answer.ok) {
          session = answer.result;
        } else if (answer.code !== 'NetworkError') {
          forget(); // refresh token revoked or expired: signed out
        }
        return answer;
      });
    }
    return refreshing;
  }

  return {
    get shopper() { return shopper(); },
    onChange(fn) { listeners.add(fn); return () => listeners.delete(fn); },

    // Page load: the session this tab kept, refreshed if it has expired.
    async restore() {
      const current = pool.getCurrentUser();
      if (!current) return null;
      const answer = await call((done) => current.getSession(done));
      if (answer.ok && answer.result && answer.result.isValid()) {
        user = current;
        session = answer.result;
      } else if (answer.code !== 'NetworkError') {
        current.signOut();
      }
      notify();
      return shopper();
    },

    signUp(email, password) {
      const attributes = [new lib.CognitoUserAttribute({ Name: 'email', Value: email })];
      return call((done) => pool.signUp(email, password, attributes, null, done));
    },
    confirm(email, code) {
      return call((done) => cognitoUser(email).confirmRegistration(code, true, done));
    },
    resendCode(email) {
      return call((done) => cognitoUser(email).resendConfirmationCode(done));
    },

    // USER_SRP_AUTH: the library proves knowledge of the password.
    async signIn(email, password) {
      const candidate = cognitoUser(email);
      const details = new lib.AuthenticationDetails({ Username: email, Password: password });
      const answer = await new Promise((resolve) => {
        candidate.authenticateUser(details, {
          onSuccess: (result) => resolve({ ok: true, result }),
          onFailure: (error) => resolve(failure(error)),
          // The pool has no MFA and shoppers choose their own password.
          newPasswordRequired: () => resolve({ ok: false, code: 'NewPasswordRequired', message: 'This account needs a new password. Contact us.' }),
        });
      });
      if (answer.ok) {
        user = candidate;
        session = answer.result;
        storage.setItem(TYPED_EMAIL, JSON.stringify({ sub: session.getAccessToken().decodePayload().sub, email }));
        notify();
      }
      return answer;
    },

    // Forgets the session here at once, and asks Cognito to revoke its
    // refresh token (the client has token revocation on). One try, not
    // awaited: the library's own revokeTokens retries for minutes, and
    // signing out must not wait on the network (moto has no RevokeToken).
    signOut() {
      if (!session) return;
      revoke(cognito, session.getRefreshToken().getToken());
      forget();
    },

    // The access token to send, refreshed first when it is about to expire
    // (or when `force`: the API just answered 401). null: not signed in.
    async accessToken({ force = false } = {}) {
      if (!session) return null;
      if (force || secondsLeft() < REFRESH_MARGIN_S) await refresh();
      return session ? session.getAccessToken().getJwtToken() : null;
    },
  };
}
