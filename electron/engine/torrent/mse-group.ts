// BitTorrent's message stream encryption (MSE) agrees a key with Diffie-Hellman over one fixed
// 768-bit group, once per connection. Node checks a group's prime on every createDiffieHellman
// (about 20 ms of CPU: the worker spent 0.3 s of a 1 GiB torrent from three peers on it, and a
// swarm of 50 peers costs a second). MSE is an obfuscation against traffic shaping, not a secret
// channel, and this group is fixed by the spec, so its prime needs no check: the worker answers
// for that one group itself, with BigInt arithmetic; any other group goes to Node as before.
import crypto from 'node:crypto';

/** The MSE spec's prime P (its generator is 2), as bittorrent-protocol passes it. */
export const MSE_PRIME_HEX =
  'ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a63a36210000000000090563';
const PRIME = BigInt(`0x${MSE_PRIME_HEX}`);
const BYTES = MSE_PRIME_HEX.length / 2;

/** One side's key agreement in the MSE group: the calls bittorrent-protocol makes of a DiffieHellman. */
export class MseKeyAgreement {
  /** The spec's 160-bit random exponent. */
  readonly #secret: bigint;
  #publicKey: Buffer | undefined;

  constructor(random: (size: number) => Buffer = crypto.randomBytes) {
    this.#secret = BigInt(`0x${random(20).toString('hex')}`);
  }

  /** 2^x mod P, big-endian, as Node's generateKeys returns it (leading zero bytes dropped). */
  generateKeys(): Buffer {
    this.#publicKey ??= unpadded(toBytes(modPow(2n, this.#secret, PRIME)));
    return this.#publicKey;
  }

  getPublicKey(): Buffer {
    return this.generateKeys();
  }

  /** The other side's key to our exponent, mod P, zero-padded to the prime's 96 bytes as Node pads it. */
  computeSecret(other: Uint8Array): Buffer {
    const theirs = BigInt(`0x${Buffer.from(other).toString('hex') || '0'}`);
    if (theirs <= 1n || theirs >= PRIME - 1n) throw new Error('Supplied key is too small');
    return toBytes(modPow(theirs, this.#secret, PRIME));
  }
}

/** Makes `crypto.createDiffieHellman` answer for the MSE group without checking its prime (the worker's own copy of Node's crypto). */
export function answerForMseGroup(target: { createDiffieHellman: (...args: never[]) => unknown }): void {
  const original = target.createDiffieHellman.bind(target) as (...args: unknown[]) => unknown;
  target.createDiffieHellman = ((...args: unknown[]) => {
    const [prime, encoding, generator] = args;
    if (typeof prime === 'string' && prime.toLowerCase() === MSE_PRIME_HEX && encoding === 'hex' && generator === 2) return new MseKeyAgreement();
    return original(...args);
  }) as typeof target.createDiffieHellman;
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

function toBytes(n: bigint): Buffer {
  return Buffer.from(n.toString(16).padStart(BYTES * 2, '0'), 'hex');
}

function unpadded(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start);
}
