// `prepack` of every published package: only pnpm rewrites `workspace:*` dependencies to real
// versions when it packs or publishes. `npm pack` would ship a package.json that cannot install.
const agent = process.env.npm_config_user_agent ?? ''
if (!agent.startsWith('pnpm/')) {
  console.error(
    'This package is packed and published with pnpm only (`pnpm pack`, `pnpm release`): ' +
      'npm would leave its `workspace:*` dependencies unresolved.',
  )
  process.exit(1)
}
