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

// One class per engine error code, its facts typed, is generated: `surface.d.ts`.

/**
 * The public form of an error thrown by the native module (`runtime.js` applies it to the
 * few native methods that throw): an instance of the class of its code, a `TypeError` for
 * an argument of the wrong type, anything else unchanged. `sync` (default `true`): the error
 * was thrown by a call, and its call frames are kept; `false` for a promise's rejection.
 */
export declare function fromNative(err: unknown, sync?: boolean): unknown
