// Loads the deploy-time config.json. It's written by the deploy / local dev
// stack (never committed), so a missing or broken file is a normal failure
// mode that must produce a readable message rather than a blank page.

export class ConfigError extends Error {}

export function normalizeBaseUrl(value) {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError('config.json has no "apiBaseUrl".');
  }
  let url;
  try {
    url = new URL(value.trim(), window.location.href);
  } catch {
    throw new ConfigError(`config.json "apiBaseUrl" is not a valid URL: ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('config.json "apiBaseUrl" must be an http(s) URL.');
  }
  // Paths are joined as `${base}/orders`, so drop trailing slashes.
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

export async function loadConfig(path = 'config.json') {
  let response;
  try {
    // no-cache: revalidate, since a redeploy can point at a new API.
    response = await fetch(path, { cache: 'no-cache' });
  } catch {
    throw new ConfigError("Couldn't load config.json (network error).");
  }
  if (!response.ok) {
    throw new ConfigError(`Couldn't load config.json (HTTP ${response.status}).`);
  }
  let data;
  try {
    data = await response.json();
  } catch {
    throw new ConfigError('config.json is not valid JSON.');
  }
  return { apiBaseUrl: normalizeBaseUrl(data && data.apiBaseUrl), cognito: cognitoSettings(data && data.cognito) };
}

// The user pool the shoppers sign in to: ids are public by design (a browser
// needs them); the endpoint is Cognito's, or moto's locally.
export function cognitoSettings(value) {
  const c = value && typeof value === 'object' ? value : {};
  for (const name of ['region', 'userPoolId', 'clientId', 'endpoint']) {
    if (typeof c[name] !== 'string' || !c[name]) throw new ConfigError(`config.json has no "cognito.${name}".`);
  }
  let endpoint;
  try {
    endpoint = new URL(c.endpoint);
  } catch {
    throw new ConfigError(`config.json "cognito.endpoint" is not a valid URL: ${c.endpoint}`);
  }
  if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') {
    throw new ConfigError('config.json "cognito.endpoint" must be an http(s) URL.');
  }
  return { region: c.region, userPoolId: c.userPoolId, clientId: c.clientId, endpoint: endpoint.href };
}
