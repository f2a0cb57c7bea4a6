import '@mantine/core/styles.css';
import { Drawer, MantineProvider, Modal, NavLink, createTheme } from '@mantine/core';
import type { CSSVariablesResolver } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { SessionProvider } from './session';

// Darker primary shades keep text on filled buttons and badges above WCAG AA contrast.
const closeLabel = { closeButtonProps: { 'aria-label': 'Close' } };
const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: 8,
  // Modals and drawers open without animation for users who ask for reduced motion.
  respectReducedMotion: true,
  components: {
    Modal: Modal.extend({ defaultProps: closeLabel }),
    Drawer: Drawer.extend({ defaultProps: closeLabel }),
    NavLink: NavLink.extend({ defaultProps: { variant: 'filled' } }),
  },
});
// Mantine's dimmed and placeholder greys are below 4.5:1 on white; these pass WCAG AA.
// Text on light variants (badges, alerts) uses shade 9 for the same reason.
const lightText = Object.fromEntries(['blue', 'red', 'green', 'yellow', 'teal', 'gray', 'orange'].map((color) => [`--mantine-color-${color}-light-color`, `var(--mantine-color-${color}-9)`]));
const contrast: CSSVariablesResolver = () => ({ variables: {}, light: { '--mantine-color-dimmed': '#495057', '--mantine-color-placeholder': '#6b7178', ...lightText, '--mantine-color-yellow-light-color': '#6b4200', '--mantine-color-orange-light-color': '#8a3a00' }, dark: {} });

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <MantineProvider theme={theme} cssVariablesResolver={contrast}>
        <SessionProvider>
          <App />
        </SessionProvider>
      </MantineProvider>
    </StrictMode>,
  );
}
