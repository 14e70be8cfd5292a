/**
 * The settings panel: the embedded simulator (default) or the real feed with a key the user
 * types. The key is kept in sessionStorage only, and the panel says plainly that a key in a
 * browser is exposed.
 * @module
 */
import { REAL_FEED_URL, readSettings, writeSettings } from './config.js'
import { h } from './dom.js'

/** Mounts the panel into `root`; applying reloads the page with the new source. */
export function mountSettings(root: HTMLElement, hasSimulator: boolean): void {
  const current = readSettings()
  const simulator = h('input', {
    type: 'radio',
    name: 'mode',
    value: 'simulator',
    testid: 'mode-simulator',
  })
  const real = h('input', { type: 'radio', name: 'mode', value: 'real', testid: 'mode-real' })
  simulator.checked = current.mode === 'simulator'
  simulator.disabled = !hasSimulator
  real.checked = current.mode === 'real'
  const url = h('input', { type: 'url', value: current.url, testid: 'settings-url', size: 36 })
  const key = h('input', {
    type: 'password',
    autocomplete: 'off',
    placeholder: 'API key',
    testid: 'settings-key',
  })
  key.value = current.apiKey
  const apply = h('button', { type: 'button', testid: 'settings-apply' }, 'Apply')
  const forget = h('button', { type: 'button', testid: 'settings-forget' }, 'Forget key')

  root.replaceChildren(
    h(
      'details',
      { class: 'settings', testid: 'settings' },
      h('summary', {}, 'Settings'),
      h(
        'div',
        { class: 'settings-body' },
        h('label', {}, simulator, ' Embedded simulator', hasSimulator ? '' : ' (not running)'),
        h('label', {}, real, ' Real feed '),
        h('label', {}, 'URL ', url),
        h('label', {}, 'Key ', key),
        apply,
        forget,
        h(
          'p',
          { class: 'warning', role: 'note', testid: 'key-warning' },
          'A key typed here is kept in this tab’s sessionStorage only, but any key used in a ' +
            'browser is exposed to whoever can open the page or its network log. For production, ' +
            'run a relay on your server that holds the key and forwards the feed.',
        ),
      ),
    ),
  )

  apply.addEventListener('click', () => {
    writeSettings({
      mode: real.checked ? 'real' : 'simulator',
      url: url.value.trim() || REAL_FEED_URL,
      apiKey: key.value.trim(),
    })
    location.reload()
  })
  forget.addEventListener('click', () => {
    key.value = ''
    writeSettings({ ...readSettings(), apiKey: '' })
  })
}
