// Loaded with `node --import` by a test: writes every module the process loaded (URLs of the
// ones it resolved, and Node's built-ins) to $HAUL_TEST_MODULES_FILE when it exits.
import fs from 'node:fs';
import module from 'node:module';

const urls = [];
module.registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    urls.push(resolved.url);
    return resolved;
  },
});
process.on('exit', () => {
  fs.writeFileSync(process.env.HAUL_TEST_MODULES_FILE, JSON.stringify({ urls, builtins: process.moduleLoadList }));
});
