/** Browser entry point: bundled by scripts/build-ui.mjs into dist/ui/assets/app.js. */
import { render } from 'preact';
import { App } from './app.tsx';

const root = document.getElementById('app');
if (root) render(<App />, root);
