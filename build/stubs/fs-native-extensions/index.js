// Haul's stand-in for fs-native-extensions (see package.json): random-access-file loads it in a
// try, and without it locks and sparse files are done with plain fs.
throw new Error('fs-native-extensions is not part of Haul (no native addons).');
