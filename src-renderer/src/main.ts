import { mount } from 'svelte'
import App from './App.svelte'
import './app.css'
import { applyTheme, storedTheme } from './lib/state/theme.svelte.js'
import { labelTableCells } from './lib/table-labels.js'

// Before the first paint: a dark-theme creator never sees a white flash.
applyTheme(storedTheme())
const target = document.getElementById('app')
if (target === null) throw new Error('index.html has no #app element')
const app = mount(App, { target })
labelTableCells(target)
export default app
