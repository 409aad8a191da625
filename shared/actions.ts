/**
 * What to do when a download finishes (Settings `actions`, defined by an admin or the desktop's
 * owner): run a program with arguments, never through a shell, POST the download to a webhook,
 * or extract a zip or tar into a folder beside it. Downloads and categories name them; nobody
 * else can define one.
 */
export type ActionDef = { name: string; run: string[]; timeoutSeconds?: number | undefined } | { name: string; webhook: string } | { name: string; extract: true };

/** The placeholders an argument may hold, each replaced by the download's own value. */
export const ACTION_PLACEHOLDERS = ['{path}', '{name}', '{dir}', '{url}', '{id}'] as const;

/** A program's arguments with the download's values put in, each argument on its own (a hostile name stays one literal argument). */
export function actionArgs(run: readonly string[], values: { path: string; name: string; dir: string; url: string; id: string }): string[] {
  return run.map((arg) => arg.replaceAll('{path}', values.path).replaceAll('{name}', values.name).replaceAll('{dir}', values.dir).replaceAll('{url}', values.url).replaceAll('{id}', values.id));
}
