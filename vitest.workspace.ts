/**
 * The one list of Vitest test projects in this repository.
 *
 * Vitest 4 no longer reads a workspace file on its own: `vitest.config.ts` imports this list
 * and hands it to `test.projects`, so `pnpm test` (plain `vitest run`) runs exactly these.
 * Add a project here, nowhere else.
 */
import type { TestProjectInlineConfiguration } from 'vitest/config'

/** Resolve workspace packages to their TypeScript sources (see each package's `exports`). */
const resolve = { conditions: ['@oddsfeed/source'] }

export const projects: TestProjectInlineConfiguration[] = [
  {
    resolve,
    test: {
      name: 'core',
      root: './packages/core',
      include: ['src/**/*.test.ts'],
      environment: 'node',
    },
  },
]

export default projects
