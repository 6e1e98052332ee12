/**
 * Every refusal of the engine. `code` is the engine's stable snake_case code, the same in
 * every language; `facts` holds the error's facts as text under the engine's own names
 * (exactly what the scenarios match); each fact is also a typed camelCase property of the
 * error, except those whose name an `Error` already uses (`code`, `message`): those are in
 * `facts` only (`InvalidCode`'s offending code is `facts.code`).
 *
 * A code this build does not know yet arrives as a plain `StockbookError` with its `code`.
 */
export declare class StockbookError extends Error {
  /** The engine's stable snake_case error code. */
  readonly code: string
  /** The facts as text, under the engine's names (`expiry_ms`, `requested`, …). */
  readonly facts: Readonly<Record<string, string>>
}

/** A movement would take a balance below zero (or a reservation above what is there). */
export declare class InsufficientStock extends StockbookError {
  readonly code: 'insufficient_stock'
  /** The item. */
  readonly sku: string
  /** The location the stock was asked of. */
  readonly location: string
  /** The lot, where the item is lot-tracked. */
  readonly lot: string | null
  /** The quantity asked for, as exact decimal text. */
  readonly requested: string
  /** The quantity there was, as exact decimal text. */
  readonly available: string
}

/** A referenced entity does not exist. */
export declare class NotFound extends StockbookError {
  readonly code: 'not_found'
  /** What kind of entity (`item`, `location`, `lot`, `serial`, `transfer`, …). */
  readonly kind: string
  /** Its key. */
  readonly key: string
}

/** An entity with this key exists already. */
export declare class AlreadyExists extends StockbookError {
  readonly code: 'already_exists'
  /** What kind of entity. */
  readonly kind: string
  /** Its key. */
  readonly key: string
}

/** The entity is archived and takes no more movements or changes. */
export declare class Archived extends StockbookError {
  readonly code: 'archived'
  /** What kind of entity. */
  readonly kind: string
  /** Its key. */
  readonly key: string
}

/** An entity still holds stock and cannot be archived. */
export declare class NotEmpty extends StockbookError {
  readonly code: 'not_empty'
  /** What kind of entity. */
  readonly kind: string
  /** Its key. */
  readonly key: string
}

/** A code (SKU, location code, lot code, serial, key) is malformed; the code itself is `facts.code`. */
export declare class InvalidCode extends StockbookError {
  readonly code: 'invalid_code'
  /** What the code names. */
  readonly kind: string
  /** Why it is refused. */
  readonly reason: string
}

/** A quantity is malformed, has more digits than the item allows, or overflows. */
export declare class InvalidQuantity extends StockbookError {
  readonly code: 'invalid_quantity'
  /** The quantity as given. */
  readonly value: string
  /** Why it is refused. */
  readonly reason: string
}

/** A command argument is out of range or inconsistent with the others. */
export declare class InvalidArgument extends StockbookError {
  readonly code: 'invalid_argument'
  /** The argument's name (the engine's snake_case name). */
  readonly field: string
  /** Why it is refused. */
  readonly reason: string
}

/** A planning parameter or series is unusable (empty, too short, out of range). */
export declare class InvalidParameter extends StockbookError {
  readonly code: 'invalid_parameter'
  /** The parameter's name. */
  readonly parameter: string
  /** Why it is refused. */
  readonly reason: string
}

/** A location's new parent would make the hierarchy a cycle. */
export declare class HierarchyCycle extends StockbookError {
  readonly code: 'hierarchy_cycle'
  /** The location being changed. */
  readonly location: string
  /** The parent asked for. */
  readonly parent: string
}

/** The item's tracking asks for a lot or serials that the command lacks (or the reverse). */
export declare class Tracking extends StockbookError {
  readonly code: 'tracking'
  /** The item. */
  readonly sku: string
  /** What is wrong. */
  readonly reason: string
}

/** A lot is past its expiry date and the command did not allow that. */
export declare class LotExpired extends StockbookError {
  readonly code: 'lot_expired'
  /** The item. */
  readonly sku: string
  /** The lot. */
  readonly lot: string
  /** The expiry instant, epoch milliseconds. */
  readonly expiryMs: number
}

/** The same idempotency key came with a different command. */
export declare class Conflict extends StockbookError {
  readonly code: 'conflict'
  /** The key that conflicts. */
  readonly key: string
  /** Why. */
  readonly reason: string
}

/** A step that the entity's state machine does not allow now. */
export declare class InvalidTransition extends StockbookError {
  readonly code: 'invalid_transition'
  /** What kind of entity (`order`, `reservation`, `transfer`). */
  readonly entity: string
  /** Its id. */
  readonly id: string
  /** The state it is in. */
  readonly state: string
  /** The step that was asked for. */
  readonly step: string
}

/** One command of an atomic batch was refused, so none of them was applied. */
export declare class BatchRefused extends StockbookError {
  readonly code: 'batch_refused'
  /** Zero-based position of the refused command in the batch. */
  readonly index: number
  /** Why it was refused: that command's own error (also the standard `cause`). */
  readonly source: StockbookError
}

/** Another process has the file open. */
export declare class Locked extends StockbookError {
  readonly code: 'locked'
  /** The file. */
  readonly path: string
}

/** The file exists but is not a Stockbook file. */
export declare class NotAStockbookFile extends StockbookError {
  readonly code: 'not_a_stockbook_file'
  /** The file. */
  readonly path: string
  /** What was found instead. */
  readonly reason: string
}

/** The file was written by a newer Stockbook with a format this one does not read. */
export declare class UnsupportedFormat extends StockbookError {
  readonly code: 'unsupported_format'
  /** The file's format version. */
  readonly found: number
  /** The newest version this build reads. */
  readonly supported: number
}

/** The file or directory could not be read or written; the OS message is `facts.message`. */
export declare class Io extends StockbookError {
  readonly code: 'io'
  /** The path concerned. */
  readonly path: string
  /** `std::io::ErrorKind` in snake_case: `not_found`, `permission_denied`, … */
  readonly kind: string
}

/** The storage engine failed; the command was not applied (its message is `facts.message`). */
export declare class Storage extends StockbookError {
  readonly code: 'storage'
}

/** The handle was closed. */
export declare class Closed extends StockbookError {
  readonly code: 'closed'
}

/**
 * A fault inside the engine stopped this request; it was rolled back and the engine goes
 * on (what failed is `facts.message`).
 */
export declare class Internal extends StockbookError {
  readonly code: 'internal'
}

/** A commit check failed: the engine stopped writing; reads go on, every write answers this. */
export declare class InvariantViolated extends StockbookError {
  readonly code: 'invariant_violated'
  /** The invariant, by name. */
  readonly invariant: string
  /** What was found. */
  readonly detail: string
}

/** A request goes beyond one of the engine's limits. */
export declare class LimitExceeded extends StockbookError {
  readonly code: 'limit_exceeded'
  /** What is too long or too many (`batch`, `attributes`, `serials`, …). */
  readonly what: string
  /** The limit. */
  readonly max: number
}

/** The idempotency key is older than the retention window: its outcome is forgotten. */
export declare class KeyExpired extends StockbookError {
  readonly code: 'key_expired'
  /** The key. */
  readonly key: string
}

/**
 * The public form of an error thrown by the native module (`lib.js` applies it to every
 * call): an instance of the class of its code, a `TypeError` for an argument of the wrong
 * type, anything else unchanged. `sync` (default `true`): the error was thrown by a call,
 * and its call frames are kept; `false` for a promise's rejection, which has none.
 */
export declare function fromNative(err: unknown, sync?: boolean): unknown
