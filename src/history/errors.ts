import { HipaaScanError } from "../core/errors.js";

/** The history store could not be opened, read or written, or its location is not acceptable. */
export class HistoryError extends HipaaScanError {}

/** Another run over the same scope holds the lock. */
export class HistoryLockedError extends HipaaScanError {}
