import { Type, type TLiteral, type TUnion } from "@sinclair/typebox";

/** A TypeBox union of string literals, typed as the union of the values (`Static<>` gives `"a" | "b"`). */
export const literals = <const T extends readonly string[]>(values: T) =>
  Type.Union(values.map((v) => Type.Literal(v))) as unknown as TUnion<TLiteral<T[number]>[]>;
