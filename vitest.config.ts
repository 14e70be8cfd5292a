import { defineConfig } from 'vitest/config'
import { projects } from './vitest.workspace.ts'

// Vitest 4 ignores workspace files unless told: the project list lives in vitest.workspace.ts.
export default defineConfig({
  test: {
    projects,
  },
})
