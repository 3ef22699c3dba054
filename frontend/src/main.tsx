import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createHashRouter } from 'react-router';
import { App, routes } from './App';
import { makeQueryClient } from './lib/queryClient';
import { prefetchStart, refreshSeeded, seedFromPage } from './lib/boot';
import { startClock } from './lib/ready';
import { preloadScreens } from './screens';
import { warmPaneNow } from './warmPane';
import './styles.css';
import './shell.css';
import './menus.css';

const queryClient = makeQueryClient();
// The cached inbox came inside index.html (app/boot.go): the first render
// has it. Without it (a reload), ask Go for it before rendering.
const seeded = seedFromPage(queryClient);
if (seeded.length === 0) prefetchStart(queryClient, window.location.hash);
let refreshed = false;
const refresh = () => {
  if (!refreshed) refreshSeeded(queryClient, seeded);
  refreshed = true;
};
startClock(performance.now(), () => {
  refresh();
  preloadScreens();
  warmPaneNow();
});
// A first screen other than the inbox (sign-in, join) never says ready.
setTimeout(refresh, 2000);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App router={createHashRouter(routes)} queryClient={queryClient} />
  </StrictMode>,
);
