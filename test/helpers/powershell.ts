import { createRequire } from "node:module";
import { Language, Parser, type Node } from "web-tree-sitter";

/**
 * Parses PowerShell with a real grammar (tree-sitter-powershell through web-tree-sitter), because
 * no PowerShell runs on the build machine. Returns every ERROR and MISSING node as
 * "line:col: …" (1-based), so a failing test names the spot.
 */
let parser: Parser | undefined;

async function getParser(): Promise<Parser> {
  if (!parser) {
    await Parser.init();
    const wasm = createRequire(import.meta.url).resolve("tree-sitter-powershell/tree-sitter-powershell.wasm");
    const lang = await Language.load(wasm);
    parser = new Parser();
    parser.setLanguage(lang);
  }
  return parser;
}

export async function powershellSyntaxErrors(script: string): Promise<string[]> {
  const tree = (await getParser()).parse(script);
  if (!tree) return ["0:0: the parser returned no tree"];
  const lines = script.split("\n");
  const out: string[] = [];
  const walk = (n: Node) => {
    if (n.isError || n.isMissing) {
      const { row, column } = n.startPosition;
      const what = n.isMissing ? `missing ${n.type}` : "syntax error";
      out.push(`${row + 1}:${column + 1}: ${what} near ${JSON.stringify((lines[row] ?? "").trim().slice(0, 80))}`);
    }
    if (!n.hasError && !n.isMissing) return; // no error below this node
    for (const c of n.children) if (c) walk(c);
  };
  walk(tree.rootNode);
  tree.delete();
  return out;
}
