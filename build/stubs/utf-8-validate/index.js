// Haul's stand-in for utf-8-validate (see package.json): ws loads it in a try and falls back to JavaScript.
throw new Error('utf-8-validate is not part of Haul (no native addons).');
