// Haul's stand-in for bufferutil (see package.json): ws loads it in a try and falls back to JavaScript.
throw new Error('bufferutil is not part of Haul (no native addons).');
