// `require('cdk-workspaces-account-links/emulator')`: the account-links emulator for tests.
module.exports = require('./lib/emulator/index.js');
