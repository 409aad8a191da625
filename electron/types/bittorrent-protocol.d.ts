/** bittorrent-protocol's wire (the package ships no types); Haul reaches into it only through wire-reading.ts's ReadingWire. */
declare module 'bittorrent-protocol' {
  const Wire: new () => unknown;
  export default Wire;
}
