// The package's ES module entry point: the CommonJS entry's exports (`lib.js`), so that
// `import { Stockbook } from 'stockbook'` and `require('stockbook')` share one instance of
// every class (`instanceof` holds across both).
export * from './lib.js'
export { default } from './lib.js'
