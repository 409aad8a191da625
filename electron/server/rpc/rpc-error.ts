/** An error answered to a JSON-RPC call: aria2's own codes (1 for everything of its own) or JSON-RPC's. */
export class RpcError extends Error {
  readonly code: number;

  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

/** aria2's answer to a missing or wrong token, word for word: clients look for it. */
export function unauthorized(): RpcError {
  return new RpcError(1, 'Unauthorized');
}

/** aria2's answer to a parameter of the wrong type (`index` counted after the token). */
export function wrongType(index: number, what: string): RpcError {
  return new RpcError(1, `The parameter at ${index} has wrong type: ${what}.`);
}
