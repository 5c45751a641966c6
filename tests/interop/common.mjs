// Callbacks for the OpenWallet Foundation's @openid4vc libraries: EdDSA over did:key, and JWE
// (ECDH-ES, AES-GCM), both by `jose`. Nothing of Paspoort's own code runs here.
import { createHash, randomBytes } from "node:crypto";
import * as jose from "jose";
import { setGlobalConfig } from "@openid4vc/utils";

// The tests run the verifier on http://127.0.0.1; the library refuses http unless told otherwise.
if (process.env.PASPOORT_INTEROP_ALLOW_HTTP === "1") setGlobalConfig({ allowInsecureUrls: true });

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

function base58(text) {
  let value = 0n;
  for (const char of text) value = value * 58n + BigInt(ALPHABET.indexOf(char));
  const bytes = [];
  while (value > 0n) { bytes.unshift(Number(value % 256n)); value /= 256n; }
  return Uint8Array.from(bytes);
}

// did:key:z6Mk...#z6Mk... -> an Ed25519 OKP JWK (multicodec 0xed01)
export function didKeyJwk(didUrl) {
  const id = didUrl.split("#")[0].slice("did:key:".length);
  const bytes = base58(id.slice(1));
  if (id[0] !== "z" || bytes[0] !== 0xed || bytes[1] !== 0x01) throw new Error(`not an Ed25519 did:key: ${didUrl}`);
  return { kty: "OKP", crv: "Ed25519", x: Buffer.from(bytes.slice(2)).toString("base64url") };
}

export const callbacks = {
  hash: (data, alg) => createHash(alg.replace("-", "").toLowerCase()).update(data).digest(),
  generateRandom: (length) => randomBytes(length),
  fetch: (...args) => fetch(...args),
  verifyJwt: async (signer, jwt) => {
    if (signer.method !== "did" || !signer.didUrl.startsWith("did:key:")) return { verified: false };
    const jwk = didKeyJwk(signer.didUrl);
    try {
      await jose.compactVerify(jwt.compact, await jose.importJWK(jwk, "EdDSA"), { algorithms: ["EdDSA"] });
      return { verified: true, signerJwk: jwk };
    } catch {
      return { verified: false, signerJwk: jwk };
    }
  },
  encryptJwe: async (encryptor, data) => {
    const key = await jose.importJWK(encryptor.publicJwk, "ECDH-ES");
    const sealed = new jose.CompactEncrypt(new TextEncoder().encode(data))
      .setProtectedHeader({ alg: "ECDH-ES", enc: encryptor.enc, kid: encryptor.publicJwk.kid });
    const parameters = {};
    if (encryptor.apu) parameters.apu = Buffer.from(encryptor.apu, "base64url");
    if (encryptor.apv) parameters.apv = Buffer.from(encryptor.apv, "base64url");
    sealed.setKeyManagementParameters(parameters);
    return { encryptionJwk: encryptor.publicJwk, jwe: await sealed.encrypt(key) };
  },
  decryptJwe: async (jwe, options) => {
    const jwk = options?.jwk;
    try {
      const { plaintext } = await jose.compactDecrypt(jwe, await jose.importJWK(jwk, "ECDH-ES"),
        { keyManagementAlgorithms: ["ECDH-ES"], contentEncryptionAlgorithms: ["A128GCM", "A256GCM"] });
      return { decrypted: true, decryptionJwk: jwk, payload: new TextDecoder().decode(plaintext) };
    } catch {
      return { decrypted: false, decryptionJwk: jwk };
    }
  },
};
