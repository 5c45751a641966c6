// @openid4vc/openid4vp as the verifier's parser of a response made by Paspoort's wallet.
//   node oid4vp-verifier.mjs case.json   (case: {request, response, decryptionJwk})
// Prints what the library read: the state and nonce it matched, and the vp_token per query id.
import { readFileSync } from "node:fs";
import { parseOpenid4vpAuthorizationResponse, parseDcqlVpToken } from "@openid4vc/openid4vp";
import { callbacks } from "./common.mjs";

const given = JSON.parse(readFileSync(process.argv[2], "utf8"));
const decryptJwe = (jwe, options) => callbacks.decryptJwe(jwe, { ...options, jwk: given.decryptionJwk });
const parsed = await parseOpenid4vpAuthorizationResponse({
  authorizationResponse: given.response, authorizationRequestPayload: given.request,
  callbacks: { ...callbacks, decryptJwe } });
const vpToken = parseDcqlVpToken(parsed.authorizationResponsePayload.vp_token);
console.log(JSON.stringify({ state: parsed.authorizationResponsePayload.state, expectedNonce: parsed.expectedNonce,
  encrypted: Boolean(parsed.jarm), type: parsed.type,
  queries: Object.fromEntries(Object.entries(vpToken).map(([id, items]) => [id, items.length])),
  vpToken }));
