'use strict';

// A hapi server (serverless-offline's own @hapi/hapi) wired to plugins/offline-cognito-authorizer.cjs exactly as
// serverless-offline wires it (src/events/http/HttpServer.js, #setAuthorizationStrategy), for testing the
// provider while no route of the API uses the authorizer:
//   GET /protected  a route with the `cognito` authorizer: 200 with the verified claims, or the provider's 401
//   GET /public     a route without one
// Settings come from the environment (OFFLINE_JWT_*), as for `sls offline`. Prints {"port": N} once listening.

const path = require('node:path');
const { createRequire } = require('node:module');

const root = path.resolve(__dirname, '..', '..');
const Hapi = createRequire(require.resolve('serverless-offline', { paths: [root] }))('@hapi/hapi');
const provider = require(path.join(root, 'plugins', 'offline-cognito-authorizer.cjs'));

async function main() {
  const server = Hapi.server({ host: '127.0.0.1', port: 0 });
  const routes = [
    { path: '/protected', endpoint: { authorizer: { name: 'cognito' } } },
    { path: '/public', endpoint: {} },
  ];
  for (const route of routes) {
    const strategy = provider(route.endpoint, 'api', 'GET', route.path);
    server.auth.scheme(strategy.scheme, strategy.getAuthenticateFunction);
    server.auth.strategy(strategy.name, strategy.scheme);
    server.route({
      method: 'GET',
      path: route.path,
      options: { auth: strategy.name },
      handler: (request) => ({ claims: request.auth.credentials.claims ?? null }),
    });
  }
  await server.start();
  console.log(JSON.stringify({ port: server.info.port }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
