import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["test/unit/**/*.test.ts"], testTimeout: 20_000, setupFiles: ["test/helpers/history-env.ts"] } },
      {
        test: {
          name: "lab",
          include: ["test/lab/**/*.test.ts"],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          // Labs build network namespaces and real servers: one file at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
