/** The parts of bencode (v4) Haul uses (the package ships no types). */
declare module 'bencode' {
  const bencode: {
    /** Byte strings come back as Uint8Array. */
    decode(data: Uint8Array): unknown;
    encode(value: unknown): Uint8Array;
  };
  export default bencode;
}
