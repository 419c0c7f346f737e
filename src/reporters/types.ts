import type { Report } from "../core/model.js";

/** Styling hooks the CLI fills with chalk on a colour terminal, or leaves as identity. */
export interface TextStyle {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  cyan(s: string): string;
}

export const plainStyle: TextStyle = {
  bold: (s) => s,
  dim: (s) => s,
  red: (s) => s,
  yellow: (s) => s,
  green: (s) => s,
  cyan: (s) => s,
};

export interface ReporterOptions {
  verbose: boolean;
  style: TextStyle;
}

/** A reporter is a pure function from the report model to a string; the CLI decides where it goes. */
export type Reporter = (report: Report, options: ReporterOptions) => string;
