// A real, certified OpenID Provider (the npm package oidc-provider) for the
// sign-in tests: `node tests/oidc/provider.mjs PORT REDIRECT_URI`. It listens
// on 127.0.0.1 only, has two static confidential clients ("registry" and
// "registry-short", secret "registry-secret") and signs in anyone whose password is "secret":
// the login name becomes the subject (sub); the login names that start with
// "admin-" carry the group "registry-admins". It prints "ready" when it listens.
import Provider from "oidc-provider";

const [port, redirectUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;
// After signing out there (RP-initiated logout), back to the registry's home page.
const home = new URL("/", redirectUri).href;

const client = (id) => ({
  client_id: id,
  client_secret: "registry-secret",
  redirect_uris: [redirectUri],
  post_logout_redirect_uris: [home],
  grant_types: ["authorization_code"],
  response_types: ["code"],
  token_endpoint_auth_method: "client_secret_basic",
});

const provider = new Provider(issuer, {
  // "registry-short" gets id_tokens that expire after one second.
  clients: [client("registry"), client("registry-short")],
  ttl: {
    IdToken: (ctx, token, c) => (c.clientId === "registry-short" ? 1 : 3600),
    AccessToken: 600,
    AuthorizationCode: 60,
    Grant: 600,
    Interaction: 600,
    Session: 600,
  },
  pkce: { required: () => true },
  claims: { openid: ["sub"], email: ["email"], profile: ["name"], groups: ["groups"] },
  scopes: ["openid", "email", "profile", "groups"],
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: `${id}@gemeente.example`,
          name: `Ambtenaar ${id}`,
          groups: id.startsWith("admin-") ? ["registry-admins"] : ["staff"],
        };
      },
    };
  },
  // The id_token carries the claims itself (no userinfo call is needed).
  conformIdTokenClaims: false,
});
provider.proxy = false;
provider.listen(Number(port), "127.0.0.1", () => console.log("ready"));
