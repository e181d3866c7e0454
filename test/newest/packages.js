// The packages the run against the newest aws-cdk-lib takes from here rather than from the
// build's node_modules: this folder's package.json (its lock file pins them). One list for
// jest (jest.config.js) and for the apps it runs (use-newest.js).
'use strict';
const path = require('node:path');

module.exports = {
  NAMES: Object.keys(require('./package.json').devDependencies),
  NODE_MODULES: path.join(__dirname, 'node_modules'),
};
