'use strict'
// The package's CommonJS entry point: the generated surface (`surface.js`) is the package's
// exports, with the package's version. `lib.mjs` is the ES module entry over this one (a
// single instance of the classes, whichever way the package is loaded).
module.exports = require('./surface.js')
// The workspace version: `scripts/dist.sh` writes Cargo.toml's into package.json.
module.exports.version = require('./package.json').version
