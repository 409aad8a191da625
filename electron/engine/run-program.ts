import { execFile } from 'node:child_process';

/** Runs a program with arguments (never a shell) and resolves once it exits 0. */
export type RunProgram = (program: string, args: readonly string[]) => Promise<void>;

/** The real one: found on PATH, given 5 s, no window on Windows. */
export const runProgram: RunProgram = (program, args) =>
  new Promise((resolve, reject) => {
    execFile(program, [...args], { timeout: 5_000, windowsHide: true }, (error) => (error === null ? resolve() : reject(error)));
  });
