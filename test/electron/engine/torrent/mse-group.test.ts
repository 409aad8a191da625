import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { answerForMseGroup, MSE_PRIME_HEX, MseKeyAgreement } from '../../../../electron/engine/torrent/mse-group.ts';

describe("the MSE group's key agreement", () => {
  it("agrees on the same secret as Node's Diffie-Hellman over the spec's prime, both ways", () => {
    const node = crypto.createDiffieHellman(MSE_PRIME_HEX, 'hex', 2);
    node.generateKeys();
    for (let i = 0; i < 5; i++) {
      const ours = new MseKeyAgreement();
      const secret = ours.computeSecret(node.getPublicKey());
      expect(secret).toHaveLength(96);
      expect(secret.equals(node.computeSecret(ours.generateKeys()))).toBe(true);
    }
  });

  it('answers createDiffieHellman for that group only, and refuses a degenerate key', () => {
    const target = { createDiffieHellman: crypto.createDiffieHellman };
    answerForMseGroup(target);
    expect(target.createDiffieHellman(MSE_PRIME_HEX, 'hex', 2)).toBeInstanceOf(MseKeyAgreement);
    expect(target.createDiffieHellman(crypto.getDiffieHellman('modp14').getPrime('hex'), 'hex', 2)).not.toBeInstanceOf(MseKeyAgreement);
    expect(() => new MseKeyAgreement().computeSecret(Buffer.from([1]))).toThrow(/too small/u);
  });
});
