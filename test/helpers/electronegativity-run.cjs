// Runs electronegativity over a folder and writes its findings as JSON to argv[3]. Offline,
// its check for newer Electron releases cannot work (it fetches from the network), so that
// one check is left out; the Electron version is given, since the folder has no package.json.
const fs = require('node:fs');
const run = require('@doyensec/electronegativity');
const [input, out, electronVersion] = process.argv.slice(2);
run({
  input,
  output: `${out}.csv`,
  isSarif: false,
  customScan: [],
  excludeFromScan: ['availablesecurityfixesglobalcheck'],
  electronVersionOverride: electronVersion,
  severitySet: '',
  confidenceSet: '',
  isRelative: true,
  parserPlugins: [],
})
  .then((result) => {
    fs.writeFileSync(out, JSON.stringify({ issues: result.issues.map((i) => ({ id: i.id, file: i.file, line: i.location?.line, severity: i.severity?.name })), errors: result.errors }));
    process.exit(0);
  })
  .catch((error) => {
    fs.writeFileSync(out, JSON.stringify({ failure: String(error) }));
    process.exit(1);
  });
