import { join } from "node:path";
import { FactsDocumentSchema } from "./facts/index.js";
import { RuleSchema } from "./engine/rule-schema.js";
import { CatalogSchema } from "./engine/catalog.js";
import { ReportDocumentSchema, ReportV1Schema } from "./report/document-schema.js";
import { InventorySchema } from "./inventory/schema.js";
import { AlternativesSchema } from "./policy/alternatives.js";
import { SiemEventSchema } from "./siem/schema.js";
import { PlanFileSchema } from "./plan/schema.js";

/** The published JSON Schemas, generated from the TypeBox definitions (the single source). */
export const PUBLISHED_SCHEMAS = {
  "facts.schema.json": FactsDocumentSchema,
  "report.schema.json": ReportDocumentSchema,
  "report-v1.schema.json": ReportV1Schema,
  "rule.schema.json": RuleSchema,
  "catalog.schema.json": CatalogSchema,
  "inventory.schema.json": InventorySchema,
  "alternatives.schema.json": AlternativesSchema,
  "siem-event.schema.json": SiemEventSchema,
  "plan.schema.json": PlanFileSchema,
} as const;

export function schemaText(schema: object): string {
  return `${JSON.stringify({ $schema: "http://json-schema.org/draft-07/schema#", ...schema }, null, 2)}\n`;
}

/** Writes every schema into `dir`; returns the paths written. */
export function writeSchemas(dir: string, write: (file: string, text: string) => void): string[] {
  return Object.entries(PUBLISHED_SCHEMAS).map(([name, schema]) => {
    const file = join(dir, name);
    write(file, schemaText(schema));
    return file;
  });
}
