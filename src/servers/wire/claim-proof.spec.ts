import { generateKeyPairSync } from 'node:crypto';
import { jwkThumbprint, parseClaimRequest } from './claim-request.js';
import { claimProofSignatureValid, parseKeyProof, signClaimProof } from './claim-proof.js';

function request(extra: Record<string, unknown> = {}) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const x = (publicKey.export({ format: 'jwk' }) as { x: string }).x;
  const body = {
    serverName: ' NAS ',
    version: '1.0.0',
    publicKeysJwk: { keys: [{ kty: 'OKP', crv: 'Ed25519', x }] },
    hostnameCandidates: ['10.0.0.5'],
    protocolVersion: 'v1',
    ...extra,
  };
  return { body, privateKey, x };
}

describe('claim key proof', () => {
  test('a signature over the request verifies; any change of the request, challenge or key does not', () => {
    const { body, privateKey, x } = request();
    const input = parseClaimRequest(body);
    expect(input.thumbprint).toBe(jwkThumbprint({ x }));
    const proof = signClaimProof(privateKey, 'challenge-1', input);
    expect(claimProofSignatureValid(proof, input)).toBe(true);
    expect(claimProofSignatureValid({ ...proof, challenge: 'challenge-2' }, input)).toBe(false);
    for (const change of [
      { serverName: 'Other' },
      { version: '1.0.1' },
      { hostnameCandidates: ['evil'] },
      { claimToken: 'phlix-claim-x' },
    ]) {
      expect(claimProofSignatureValid(proof, parseClaimRequest({ ...body, ...change }))).toBe(false);
    }
    const other = request();
    expect(claimProofSignatureValid(signClaimProof(other.privateKey, 'challenge-1', input), input)).toBe(false);
    // the proof travels in the body and is parsed from either spelling
    expect(parseClaimRequest({ ...body, keyProof: proof }).keyProof).toEqual(proof);
    expect(parseClaimRequest({ ...body, key_proof: proof }).keyProof).toEqual(proof);
  });

  test('malformed proofs are validation errors; none is fine', () => {
    expect(parseKeyProof({})).toBeUndefined();
    for (const v of [
      'x',
      [],
      { challenge: '', signature: 'a'.repeat(86) },
      { challenge: 'c', signature: 'short' },
      { challenge: 'c'.repeat(5000), signature: 'a'.repeat(86) },
    ]) {
      expect(() => parseKeyProof({ keyProof: v })).toThrow(
        expect.objectContaining({ code: 'request.validation_failed' }),
      );
    }
  });
});
