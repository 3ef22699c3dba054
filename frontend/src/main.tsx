import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createHashRouter } from 'react-router';
import { App, routes } from './App';
import { makeQueryClient } from './lib/queryClient';
import { prefetchStart } from './lib/boot';
import { startClock } from './lib/ready';
import { preloadScreens } from './screens';
import './styles.css';

startClock(performance.now(), preloadScreens);
const queryClient = makeQueryClient();
prefetchStart(queryClient, window.location.hash);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App router={createHashRouter(routes)} queryClient={queryClient} />
  </StrictMode>,
);
