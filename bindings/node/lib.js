'use strict'
// The package's entry point: the generated surface (`surface.js`) is the package's exports.
module.exports = require('./surface.js')
