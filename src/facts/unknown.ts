import { Type, type TSchema, type Static } from "@sinclair/typebox";

/**
 * "Unknown" is a value: a fact that could not be read carries the reason instead of a guess.
 * A rule that needs an unknown fact yields `error`, never `pass`.
 */
export const UnknownSchema = Type.Object(
  { unknown: Type.Literal(true), reason: Type.String() },
  { additionalProperties: false, title: "Unknown" },
);
export type Unknown = Static<typeof UnknownSchema>;

/** A fact of type T, or unknown with a reason. */
export const Known = <T extends TSchema>(schema: T) => Type.Union([schema, UnknownSchema]);

export function unknown(reason: string): Unknown {
  return { unknown: true, reason };
}

export function isUnknown(value: unknown): value is Unknown {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { unknown?: unknown }).unknown === true &&
    typeof (value as { reason?: unknown }).reason === "string"
  );
}

/** Shorthands the facts schemas share. */
export const Str = Type.String();
export const Num = Type.Number();
export const Bool = Type.Boolean();
export const StrList = Type.Array(Type.String());
export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
