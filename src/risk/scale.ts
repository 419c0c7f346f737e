/**
 * The qualitative scale of NIST SP 800-30 Rev. 1, Appendices G–I: five levels for likelihood,
 * impact and risk, and the risk-level matrix of Table I-2 (likelihood × impact → risk).
 */
export const LEVELS = ["very low", "low", "moderate", "high", "very high"] as const;
export type LevelName = (typeof LEVELS)[number];
/** 1 = very low … 5 = very high. */
export type Level = 1 | 2 | 3 | 4 | 5;

export const levelName = (l: Level): LevelName => LEVELS[l - 1]!;
export const clampLevel = (n: number): Level => Math.min(5, Math.max(1, Math.round(n))) as Level;

/**
 * NIST SP 800-30 Rev. 1 Table I-2 ("Assessment scale – level of risk (combination of likelihood
 * and impact)"). Rows: likelihood very low → very high; columns: impact very low → very high.
 */
export const RISK_MATRIX: readonly (readonly Level[])[] = [
  [1, 1, 1, 2, 2], // likelihood very low
  [1, 2, 2, 2, 3], // low
  [1, 2, 3, 3, 4], // moderate
  [1, 2, 3, 4, 5], // high
  [1, 2, 3, 4, 5], // very high
];

export const riskLevel = (likelihood: Level, impact: Level): Level => RISK_MATRIX[likelihood - 1]![impact - 1]!;

/** Plan priority (and default due window) by risk level. */
export const PRIORITY_BY_LEVEL: Record<Level, "critical" | "high" | "medium" | "low"> = {
  5: "critical",
  4: "high",
  3: "medium",
  2: "low",
  1: "low",
};
