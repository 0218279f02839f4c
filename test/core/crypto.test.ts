import { describe, expect, it } from 'vitest';
import { codeOf } from '../helpers/codes.js';
import { generateEd25519, parsePrivateKey, parsePublicKey, keyidOf } from '../../src/core/keys.js';
import { pae, parseEnvelope, signEnvelope, verifyEnvelope, IN_TOTO_PAYLOAD_TYPE } from '../../src/core/dsse.js';
import { buildStatement, parseStatement, WARDEN_PUBLISH_PREDICATE, WARDEN_RELEASE_PREDICATE } from '../../src/core/statement.js';
import { verifyArtifactEnvelope } from '../../src/core/verify-release.js';
import { digestBytes } from '../../src/core/digest.js';
import { generateKeyPairSync, createHash } from 'node:crypto';


const alice = generateEd25519();
const mallory = generateEd25519();
const alicePriv = parsePrivateKey(alice.privatePem);
const alicePub = parsePublicKey(alice.publicPem);
const malloryPriv = parsePrivateKey(mallory.privatePem);

function signedFor(ref: string, bytes: Buffer, signer = alicePriv, predicateType = WARDEN_PUBLISH_PREDICATE) {
  const st = buildStatement(ref, digestBytes(bytes), predicateType, { ref });
  return signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(st)), [signer]);
}

describe('keys', () => {
  it('keyid is the sha256 of the SPKI DER', () => {
    const der = alicePub.key.export({ type: 'spki', format: 'der' });
    expect(alice.keyid).toBe(createHash('sha256').update(der).digest('hex'));
    expect(keyidOf(alicePriv.publicKey.key)).toBe(alice.keyid);
    expect(alicePriv.keyid).toBe(alice.keyid);
  });

  it('refuses a private key where a public key is expected, and the reverse', () => {
    expect(codeOf(() => parsePublicKey(alice.privatePem))).toBe('WARDEN_E_KEY_NOT_PUBLIC');
    expect(codeOf(() => parsePrivateKey(alice.publicPem))).toBe('WARDEN_E_KEY_NOT_PRIVATE');
  });

  it('refuses non-Ed25519 keys and garbage', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(codeOf(() => parsePublicKey(publicKey.export({ type: 'spki', format: 'pem' }) as string))).toBe('WARDEN_E_KEY_INVALID');
    expect(codeOf(() => parsePublicKey('-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n'))).toBe('WARDEN_E_KEY_INVALID');
    expect(codeOf(() => parsePublicKey(''))).toBe('WARDEN_E_INPUT_EMPTY');
  });
});

describe('DSSE', () => {
  it('PAE matches the DSSE v1 specification', () => {
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
  });

  it('verifies a signature by a trusted key and rejects other keys and altered payloads', () => {
    const env = signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from('{"a":1}'), [alicePriv]);
    expect(verifyEnvelope(env, [alicePub]).keyid).toBe(alice.keyid);
    expect(codeOf(() => verifyEnvelope(env, [parsePublicKey(mallory.publicPem)]))).toBe('WARDEN_E_KEY_UNKNOWN');
    const altered = { ...env, payload: Buffer.from('{"a":2}').toString('base64') };
    expect(codeOf(() => verifyEnvelope(altered, [alicePub]))).toBe('WARDEN_E_SIG_MISMATCH');
    // A forged signature claiming alice's keyid.
    const forged = signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from('{"a":1}'), [malloryPriv]);
    forged.signatures[0]!.keyid = alice.keyid;
    expect(codeOf(() => verifyEnvelope(forged, [alicePub]))).toBe('WARDEN_E_SIG_MISMATCH');
  });

  it('binds the payload type into the signature', () => {
    const env = signEnvelope('application/json', Buffer.from('{}'), [alicePriv]);
    expect(codeOf(() => verifyEnvelope(env, [alicePub]))).toBe('WARDEN_E_PAYLOAD_TYPE');
    // Relabelling the type breaks the signature even for a verifier that accepts both types.
    const relabelled = { ...env, payloadType: IN_TOTO_PAYLOAD_TYPE };
    expect(codeOf(() => verifyEnvelope(relabelled, [alicePub]))).toBe('WARDEN_E_SIG_MISMATCH');
  });

  it.each([
    ['truncated JSON', '{"payloadType": "application/vnd.in-toto+json", "payload": "e30=", "signa'],
    ['garbage', '\u0000\u0001garbage'],
    ['an array', '[]'],
    ['no signatures', JSON.stringify({ payloadType: IN_TOTO_PAYLOAD_TYPE, payload: 'e30=', signatures: [] })],
    ['bad base64', JSON.stringify({ payloadType: IN_TOTO_PAYLOAD_TYPE, payload: 'e30=!', signatures: [{ keyid: '', sig: 'AA==' }] })],
    ['missing sig', JSON.stringify({ payloadType: IN_TOTO_PAYLOAD_TYPE, payload: 'e30=', signatures: [{ keyid: 'x' }] })],
  ])('rejects a malformed envelope: %s', (_label, text) => {
    expect(codeOf(() => parseEnvelope(text))).toBe('WARDEN_E_ENVELOPE_MALFORMED');
  });

  it('rejects empty and oversized envelopes as input errors', () => {
    expect(codeOf(() => parseEnvelope(''))).toBe('WARDEN_E_INPUT_EMPTY');
    expect(codeOf(() => parseEnvelope('x'.repeat(1024 * 1024 + 1)))).toBe('WARDEN_E_INPUT_TOO_LARGE');
  });
});

describe('artifact verification', () => {
  const bytes = Buffer.from('pretend this is a tgz');
  const ref = { org: 'acme', name: 'hello', version: '1.0.0' };

  it('accepts the signed bytes for the signed ref', () => {
    const env = signedFor('acme/hello@1.0.0', bytes);
    const v = verifyArtifactEnvelope(env, digestBytes(bytes), { trustedKeys: [alicePub], expectedRef: ref });
    expect(v.keyid).toBe(alice.keyid);
    expect(v.statement.subject[0]!.name).toBe('acme/hello@1.0.0');
  });

  it('rejects one changed byte, another module, another version, another predicate', () => {
    const env = signedFor('acme/hello@1.0.0', bytes);
    const tampered = Buffer.from(bytes);
    tampered[3] ^= 1;
    expect(codeOf(() => verifyArtifactEnvelope(env, digestBytes(tampered), { trustedKeys: [alicePub], expectedRef: ref }))).toBe('WARDEN_E_DIGEST_MISMATCH');
    expect(codeOf(() => verifyArtifactEnvelope(env, digestBytes(bytes), { trustedKeys: [alicePub], expectedRef: { ...ref, name: 'other' } }))).toBe('WARDEN_E_SUBJECT_MISMATCH');
    expect(codeOf(() => verifyArtifactEnvelope(env, digestBytes(bytes), { trustedKeys: [alicePub], expectedRef: { ...ref, version: '1.0.1' } }))).toBe('WARDEN_E_SUBJECT_MISMATCH');
    const release = signedFor('acme/hello@1.0.0', bytes, alicePriv, WARDEN_RELEASE_PREDICATE);
    expect(codeOf(() => verifyArtifactEnvelope(release, digestBytes(bytes), { trustedKeys: [alicePub], expectedRef: ref }))).toBe('WARDEN_E_STATEMENT_INVALID');
  });

  it('rejects a statement with two subjects or missing digests', () => {
    const st = buildStatement('acme/hello@1.0.0', digestBytes(bytes), WARDEN_PUBLISH_PREDICATE, {});
    const two = { ...st, subject: [st.subject[0], st.subject[0]] };
    expect(codeOf(() => parseStatement(Buffer.from(JSON.stringify(two)), WARDEN_PUBLISH_PREDICATE))).toBe('WARDEN_E_STATEMENT_INVALID');
    const noSha512 = { ...st, subject: [{ name: 'acme/hello@1.0.0', digest: { sha256: st.subject[0]!.digest.sha256 } }] };
    expect(codeOf(() => parseStatement(Buffer.from(JSON.stringify(noSha512)), WARDEN_PUBLISH_PREDICATE))).toBe('WARDEN_E_STATEMENT_INVALID');
  });
});
