// Types of the `stockbook` package: the generated `index.d.ts` (the engine's surface), the
// error classes, and the two constructors `lib.js` adds to `Stockbook`.
//
// Conventions, the same for every method:
// - quantities in: `string` (exact decimal text), a safe-integer `number`, or `bigint`
//   (a `number` with a fraction is a `TypeError`); quantities out: exact decimal text at
//   the item's precision (`"10.50"`);
// - instants in: `Date` or epoch milliseconds; instants out: epoch milliseconds (`number`);
// - sequence numbers out: `bigint`; in: `bigint` or a safe-integer `number`;
// - planning statistics (rates, lead times, service levels, safety stock) are plain
//   `number`s; a bad planning parameter is `InvalidParameter` with `parameter` naming it;
// - engine refusals: `StockbookError` subclasses (`InsufficientStock`, …); an argument of
//   the wrong type is a `TypeError`, rejected (never thrown) by a method returning a
//   promise; an unknown field, an invalid `Date` or an integer out of range is
//   `InvalidArgument` naming the field in camelCase; `null` in an optional field is absent.

import type { Options, Stockbook as NativeStockbook } from './index'

export * from './index'
export * from './errors'

declare module './index' {
  namespace Stockbook {
    /**
     * Opens (or creates) the Stockbook file at `path`, off the main thread.
     *
     * Refused with `Locked` when another process has it open, `NotAStockbookFile` for any
     * other file, `UnsupportedFormat` for a file of a newer format and `Io` when the
     * directory does not exist.
     */
    function open(path: string, options?: Options | null): Promise<NativeStockbook>
    /** A Stockbook that lives in memory only: for tests and scratch work. */
    function inMemory(options?: Options | null): NativeStockbook
  }
}
