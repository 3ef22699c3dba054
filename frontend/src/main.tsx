import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createHashRouter } from 'react-router';
import { App, routes } from './App';
import { makeQueryClient } from './lib/queryClient';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App router={createHashRouter(routes)} queryClient={makeQueryClient()} />
  </StrictMode>,
);
