/** A log that never throws: a full disk or a closed pipe on stderr must not stop the server. */
export function safeLog(log: (line: string) => void): (line: string) => void {
  return (line) => {
    try {
      log(line);
    } catch {
      // Nowhere left to report it; serving goes on.
    }
  };
}
