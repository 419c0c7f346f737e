import { Ajv, type Options } from "ajv";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

/** One ajv configuration for every schema hipaa-scan validates (rules, facts, inventory, report). */
export function makeAjv(options: Options = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, ...options });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv;
}
