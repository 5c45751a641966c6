// @openid4vc/openid4vp as the wallet against Paspoort's verifier.
//   node oid4vp-wallet.mjs resolve '<openid4vp:// link>'      -> the resolved request (JSON) on stdout
//   node oid4vp-wallet.mjs respond resolved.json vp_token.json -> {status, body} of the response_uri
// The presentations in vp_token.json are signed by the caller (the library signs no ldp_vc).
import { readFileSync } from "node:fs";
import { Openid4vpClient } from "@openid4vc/openid4vp";
import { callbacks } from "./common.mjs";

const client = new Openid4vpClient({ callbacks });
const [command, ...args] = process.argv.slice(2);

if (command === "resolve") {
  const parsed = client.parseOpenid4vpAuthorizationRequest({ authorizationRequest: args[0] });
  const resolved = await client.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params });
  console.log(JSON.stringify({ type: parsed.type, payload: resolved.authorizationRequestPayload,
    client: resolved.client, dcql: resolved.dcql, version: resolved.version,
    signer: resolved.jar?.signer?.didUrl }));
} else if (command === "respond") {
  const request = JSON.parse(readFileSync(args[0], "utf8")).payload;
  const vpToken = JSON.parse(readFileSync(args[1], "utf8"));
  const encrypted = request.response_mode === "direct_post.jwt";
  const made = await client.createOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: request,
    authorizationResponsePayload: { vp_token: vpToken },
    jarm: encrypted ? { encryption: { nonce: "paspoort-interop" }, serverMetadata: {
      authorization_encryption_alg_values_supported: ["ECDH-ES"],
      authorization_encryption_enc_values_supported: ["A128GCM", "A256GCM"] } } : undefined,
  });
  const { response } = await client.submitOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: request, authorizationResponsePayload: made.authorizationResponsePayload,
    jarm: made.jarm ? { responseJwt: made.jarm.responseJwt } : undefined });
  console.log(JSON.stringify({ status: response.status, body: await response.json() }));
} else {
  console.error("usage: oid4vp-wallet.mjs resolve LINK | respond RESOLVED.json VP_TOKEN.json");
  process.exit(2);
}
