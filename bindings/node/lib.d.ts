// Types of the `stockbook` package: the `Stockbook` class and its options (here), every
// command and query method, every planning calculation and their types, and one error
// class per engine code (the generated `surface.d.ts`), the errors' base (`errors.d.ts`).
//
// Conventions, the same for every method:
// - quantities in: `string` (exact decimal text), a safe-integer `number`, or `bigint`
//   (a `number` with a fraction is a `TypeError`); quantities out: exact decimal text at
//   the item's precision (`"10.50"`);
// - instants in: `Date` or epoch milliseconds; instants out: epoch milliseconds (`number`);
// - every answer is a plain JSON-serializable object (sequence numbers are `number`s);
// - engine refusals: `StockbookError` subclasses (`InsufficientStock`, …); an argument of
//   the wrong type is a `TypeError`, rejected (never thrown) by a method returning a
//   promise; an unknown field, an invalid `Date` or an integer out of range is
//   `InvalidArgument` naming the field in camelCase; `null` in an optional field is absent.

import type { CommandInput, Counted, Dispatched, MetaInput, Reserved, StockbookMethods, Written } from './surface'

export * from './surface'
export { StockbookError, fromNative } from './errors'

/** The package's version: the Rust workspace's (`Cargo.toml`), e.g. `'0.1.0'`. */
export declare const version: string

/** A clock that moves only when told: for tests and simulations (the `clock` option). */
export declare class ManualClock {
  /** A clock standing at `now` (a `Date` or epoch milliseconds). */
  constructor(now: Date | number)
  /** Sets the time (a `Date` or epoch milliseconds). */
  set(now: Date | number): void
  /** Moves the time forward by `ms` milliseconds. */
  advance(ms: number): void
  /** The time, in epoch milliseconds. */
  now(): number
}

/** How a Stockbook is opened. Every field is optional. */
export interface Options {
  /** When a commit is on disk (default `immediate`; `bulk_load`: at `sync()`/`close()`). */
  durability?: 'immediate' | 'bulk_load' | null
  /** The engine's clock (default: the system clock). */
  clock?: ManualClock | null
  /** The most requests committed together in one group. */
  groupCommandsMax?: number | null
  /** The most requests waiting for the writer; callers wait beyond it (back-pressure). */
  queueDepthMax?: number | null
  /** A snapshot of the ledger state is written every this many events. */
  snapshotEveryEvents?: number | null
  /** redb's page cache, in bytes. */
  cacheSizeBytes?: number | null
  /** Events per block of the newest index rows kept in memory, for a new file. */
  indexBlockEvents?: number | null
}

/**
 * An open Stockbook: an inventory ledger over one file (or in memory). Open one with
 * `Stockbook.open(path, options?)` or `Stockbook.inMemory(options?)`.
 */
export declare class Stockbook {
  private constructor()
  /**
   * Opens (or creates) the Stockbook file at `path`, off the main thread.
   *
   * Refused with `Locked` when another process has it open, `NotAStockbookFile` for any
   * other file, `UnsupportedFormat` for a file of a newer format and `Io` when the
   * directory does not exist.
   */
  static open(path: string, options?: Options | null): Promise<Stockbook>
  /** A Stockbook that lives in memory only: for tests and scratch work. */
  static inMemory(options?: Options | null): Stockbook
  /** The file's path (`null` in memory). */
  readonly path: string | null
  /** Closes the engine: waits for queued commands, makes everything durable, releases the file. */
  close(): Promise<void>
  /** Makes everything committed so far durable (needed only with `bulk_load`). */
  sync(): Promise<void>
  /**
   * The generic entry: one call as the core's JSON text (`{"op", "args", "meta"?, "kind"?}`,
   * snake_case; see `contract.d.ts`), answered with JSON text.
   */
  callJson(call: string): Promise<string>
  /** Executes one command (`{ op, args }`, camelCase args); resolved once it is durable. */
  execute(command: CommandInput, meta?: MetaInput | null): Promise<AnyReceipt>
  /**
   * Executes `commands` all or nothing, in order, in one commit. A refusal is
   * `BatchRefused`, naming the command (`index`) and its own error (`source`).
   */
  executeBatch(commands: CommandInput[], meta?: MetaInput | null): Promise<AnyReceipt[]>
}
/** The typed receipt of any command: what `execute` answers. */
export type AnyReceipt = Written | Reserved | Dispatched | Counted
export interface Stockbook extends StockbookMethods {}
