// Digital Bazaar's eddsa-rdfc-2022 stack, driven from Python (tests/test_rdfc_interop.py,
// bench/bench_rdfc.py). Reads one JSON request on stdin, writes one JSON answer on stdout:
//
//   {"command": "verify", "contexts": {url: document}, "documents": [signed, ...]}
//     -> {"results": [{"verified": bool, "error": string|null, "refused": [URL the loader refused]}, ...]}
//   {"command": "sign", "contexts": {...}, "document": unsigned, "seed": hex32, "created": dateTime}
//     -> {"signed": document}
//   {"command": "time", "contexts": {...}, "document": signed, "seconds": 2, "warmup": 2, "count"?: N}
//     -> {"verified": true, "cpuMicroseconds": median CPU µs per verify, "wallMicroseconds": ...,
//         "rounds": [CPU µs per verify of each round], "verifies": n}
//
// The document loader serves only the contexts given in the request (Paspoort's shipped files)
// and did:key documents made from the key itself; every other URL is refused, nothing is fetched.
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import jsigs from 'jsonld-signatures';

const {AssertionProofPurpose} = jsigs.purposes;
const DID_V1 = 'https://www.w3.org/ns/did/v1';
const MULTIKEY_V1 = 'https://w3id.org/security/multikey/v1';

function loaderFor(contexts, refused = []) {
  const loader = async url => {
    if(Object.hasOwn(contexts, url)) {
      return {contextUrl: null, documentUrl: url, document: contexts[url]};
    }
    if(url.startsWith('did:key:z')) {
      return {contextUrl: null, documentUrl: url, document: didKeyDocument(url)};
    }
    refused.push(url);
    throw new Error(`refused to load ${url}: not a context given by the caller; nothing is fetched`);
  };
  loader.refused = refused;
  return loader;
}

// did:key:zX (the DID document) or did:key:zX#zX (its one Multikey verification method)
function didKeyDocument(url) {
  const [did, fragment] = url.split('#');
  const key = did.slice('did:key:'.length);
  if(fragment !== undefined && fragment !== key) {
    throw new Error(`${url}: a did:key fragment repeats the key`);
  }
  const method = {id: `${did}#${key}`, type: 'Multikey', controller: did, publicKeyMultibase: key};
  if(fragment !== undefined) {
    return {'@context': MULTIKEY_V1, ...method};
  }
  return {
    '@context': [DID_V1, MULTIKEY_V1], id: did, verificationMethod: [method],
    assertionMethod: [method.id], authentication: [method.id]
  };
}

async function verify(document, documentLoader) {
  const suite = new DataIntegrityProof({cryptosuite});
  const result = await jsigs.verify(document, {suite, purpose: new AssertionProofPurpose(), documentLoader});
  const error = result.error && (result.error.errors || [result.error]).map(e => e.message).join('; ');
  const refused = documentLoader.refused.splice(0);
  return {verified: result.verified === true, error: error || null, refused};
}

async function sign({document, seed, created}, documentLoader) {
  const bytes = Uint8Array.from(Buffer.from(seed, 'hex'));
  const {publicKeyMultibase} = await Ed25519Multikey.generate({seed: bytes});
  const key = await Ed25519Multikey.generate({seed: bytes, controller: `did:key:${publicKeyMultibase}`});
  const suite = new DataIntegrityProof({signer: key.signer(), cryptosuite, date: created});
  return jsigs.sign(structuredClone(document), {suite, purpose: new AssertionProofPurpose(), documentLoader});
}

// As bench/common.py's per_call, after a warm-up of `warmup` seconds (V8 compiles the hot code
// over the first few hundred verifies, and jsonld.js caches the resolved contexts): five rounds
// of about seconds/5 each (or of count/5 verifies each, when `count` is given); the median of the
// rounds' CPU time per verify (process.cpuUsage, user + system: the whole process, so V8's
// garbage collector threads count too).
async function time({document, seconds = 2, warmup = 2, count: total}, documentLoader) {
  const first = await verify(document, documentLoader);
  if(!first.verified) {
    throw new Error(`the document does not verify: ${first.error}`);
  }
  const warm = performance.now() + warmup * 1000;
  while(performance.now() < warm) {
    await verify(document, documentLoader);
  }
  const rounds = [];
  const walls = [];
  let verifies = 0;
  for(let round = 0; round < 5; ++round) {
    const start = process.cpuUsage();
    const begin = performance.now();
    const deadline = begin + seconds * 1000 / 5;
    let count = 0;
    do {
      await verify(document, documentLoader);
      ++count;
    } while(total ? count < Math.ceil(total / 5) : performance.now() < deadline);
    const used = process.cpuUsage(start);
    rounds.push((used.user + used.system) / count);
    walls.push((performance.now() - begin) * 1000 / count);
    verifies += count;
  }
  const median = values => [...values].sort((a, b) => a - b)[2];
  return {verified: true, cpuMicroseconds: median(rounds), wallMicroseconds: median(walls), rounds, verifies};
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const documentLoader = loaderFor(request.contexts || {});
  let answer;
  if(request.command === 'verify') {
    answer = {results: []};
    for(const document of request.documents) {
      answer.results.push(await verify(document, documentLoader));
    }
  } else if(request.command === 'sign') {
    answer = {signed: await sign(request, documentLoader)};
  } else if(request.command === 'time') {
    answer = await time(request, documentLoader);
  } else {
    throw new Error(`unknown command ${JSON.stringify(request.command)}: verify, sign or time`);
  }
  process.stdout.write(JSON.stringify(answer));
}

main().catch(error => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
