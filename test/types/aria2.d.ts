// aria2.js ships no types: the part of its interface the tests use.
declare module 'aria2' {
  interface Aria2Options {
    host?: string;
    port?: number;
    secure?: boolean;
    secret?: string;
    path?: string;
  }
  // biome-ignore lint/suspicious/noExplicitAny: aria2's results are JSON of many shapes; each test asserts the one it reads
  type Json = any;
  export default class Aria2 {
    constructor(options?: Aria2Options);
    readonly socket: { readyState: number } | undefined;
    open(): Promise<void>;
    close(): Promise<void>;
    call(method: string, ...params: unknown[]): Promise<Json>;
    multicall(calls: unknown[][]): Promise<Json[]>;
    batch(calls: unknown[][]): Promise<Array<Promise<Json>>>;
    listMethods(): Promise<string[]>;
    listNotifications(): Promise<string[]>;
    on(event: string, listener: (params: Json) => void): this;
  }
}
