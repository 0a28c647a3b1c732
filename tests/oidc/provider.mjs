// A real OpenID Connect provider for the test suite (the npm package oidc-provider), on loopback.
//
//   node tests/oidc/provider.mjs CONFIG.json
//
// CONFIG.json: {"port": 0, "client": {client_id, client_secret, redirect_uris, post_logout_redirect_uris},
//               "accounts": {"<sub>": {"email": "...", "email_verified": true, "name": "..."}}}
// Prints one line "READY <issuer>" when it listens. The login page is oidc-provider's development
// interaction (any password; the login name is the account's sub). Consent is granted without asking,
// as a city's provider does for its own first-party applications.
import fs from "node:fs";
import http from "node:http";
import Provider from "oidc-provider";

const config = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const accounts = config.accounts;

const server = http.createServer();
server.listen(config.port || 0, "127.0.0.1", () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      ...config.client,
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    }],
    pkce: { required: () => true },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    scopes: ["openid", "email", "profile"],
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    cookies: { keys: ["kunci-uji-saja"] },
    async findAccount(ctx, sub) {
      const account = accounts[sub];
      if (!account) return undefined;
      return { accountId: sub, async claims() { return { sub, ...account }; } };
    },
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope("openid email profile");
      grant.addOIDCClaims(["email", "email_verified", "name"]);
      await grant.save();
      return grant;
    },
  });
  provider.proxy = false;
  server.on("request", provider.callback());
  console.log(`READY ${issuer}`);
});
