// The OpenWallet Foundation's OpenID4VCI client (@openid4vc/openid4vci) as the wallet against our
// issuer: offer -> metadata -> token (pre-authorized code + tx_code) -> nonce -> credential.
// The library builds every request and the key proof's header and claims; this script only
// signs (Ed25519, node:crypto) and prints the credential as JSON on stdout.
// usage: node oid4vci-wallet.mjs <offer URI> <tx_code> <private JWK JSON> <did:key verification method>
import { createHash, createPrivateKey, randomBytes, sign } from 'node:crypto'
import { Openid4vciClient } from '@openid4vc/openid4vci'
import { clientAuthenticationNone } from '@openid4vc/oauth2'
import { setGlobalConfig } from '@openid4vc/utils'

const [offerUri, txCode, jwkText, kid] = process.argv.slice(2)
const privateJwk = JSON.parse(jwkText)
setGlobalConfig({ allowInsecureUrls: offerUri.includes('http%3A%2F%2F127.0.0.1') })

const b64url = (bytes) => Buffer.from(bytes).toString('base64url')
const callbacks = {
  fetch,
  generateRandom: (length) => new Uint8Array(randomBytes(length)),
  hash: (data, alg) => new Uint8Array(createHash(alg.replace('-', '').toLowerCase()).update(data).digest()),
  clientAuthentication: clientAuthenticationNone({ clientId: 'paspoort-interop' }),
  signJwt: async (signer, { header, payload }) => {
    if (signer.method !== 'did' || header.alg !== 'EdDSA') throw new Error(`unexpected signer ${signer.method} ${header.alg}`)
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`
    const signature = sign(null, Buffer.from(input), createPrivateKey({ key: privateJwk, format: 'jwk' }))
    const { d, ...publicJwk } = privateJwk
    return { jwt: `${input}.${b64url(signature)}`, signerJwk: publicJwk }
  },
}

const client = new Openid4vciClient({ callbacks })
const offer = await client.resolveCredentialOffer(offerUri)
const issuerMetadata = await client.resolveIssuerMetadata(offer.credential_issuer)
const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
  credentialOffer: offer, issuerMetadata, txCode,
})
const { c_nonce: nonce } = await client.requestNonce({ issuerMetadata })
const credentialConfigurationId = offer.credential_configuration_ids[0]
const { jwt } = await client.createCredentialRequestJwtProof({
  issuerMetadata, credentialConfigurationId, nonce, issuedAt: new Date(),
  signer: { method: 'did', didUrl: kid, alg: 'EdDSA' },
})
const { credentialResponse } = await client.retrieveCredentials({
  issuerMetadata, credentialConfigurationId, accessToken: accessTokenResponse.access_token, proofs: { jwt: [jwt] },
})
process.stdout.write(JSON.stringify({
  version: issuerMetadata.originalDraftVersion, credential: credentialResponse.credentials[0].credential,
}))
