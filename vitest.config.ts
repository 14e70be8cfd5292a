import { defineConfig } from 'vitest/config'
import { projects } from './vitest.workspace.ts'

/** CI sets this to get a machine-readable summary next to the usual output. */
const jsonReport = process.env.VITEST_JSON_REPORT

// Vitest 4 ignores workspace files unless told: the project list lives in vitest.workspace.ts.
export default defineConfig({
  test: {
    projects,
    reporters: jsonReport ? ['default', ['json', { outputFile: jsonReport }]] : ['default'],
  },
})
