#!/usr/bin/env node
import("../dist/cli/main.js").then((cli) => cli.run(process.argv.slice(2))).then((code) => { process.exitCode = code; });
