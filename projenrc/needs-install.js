// Exits 0 when the npm project in the folder named by its argument must be installed (an
// install task's condition): one of its devDependencies is missing from its node_modules, or
// is not the version its package.json pins ("1.2.3", or an alias "npm:name@1.2.3").
'use strict';
const path = require('node:path');

const dir = path.resolve(process.argv[2]);
const wanted = require(path.join(dir, 'package.json')).devDependencies;
const installed = (name) => {
  try {
    return require(path.join(dir, 'node_modules', name, 'package.json')).version;
  } catch {
    return undefined;
  }
};
const current = Object.entries(wanted).every(([name, spec]) => installed(name) === spec.replace(/^npm:.+@/, ''));
process.exit(current ? 1 : 0);
