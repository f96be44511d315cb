/** An Ed25519 public key as a JWK: the hub's own keys, a paired server's, the agent's and a trusted peer hub's. */
export interface Ed25519Jwk {
  kty: 'OKP';
  crv: 'Ed25519';
  /** the public key, base64url */
  x: string;
  kid: string;
  use: 'sig';
  alg: 'EdDSA';
}
