import type { Provider } from '@nestjs/common';
import { join } from 'node:path';
import { GATEWAY_SETTINGS, UI_ASSETS } from '../bootstrap/tokens';
import type { GatewaySettings } from '../gateway-settings.schema';
import { UiAssets } from './ui-assets';
import { UiAssetsController } from './ui-assets.controller';
import { UiLoginController } from './ui-login.controller';
import { UiSessionService } from './ui-session.service';

/** The admin UI: its static files under `/ui/`, sign-in, sessions and sign-out. */
export const uiControllers = [UiAssetsController, UiLoginController];

export const uiProviders: Provider[] = [
  UiSessionService,
  {
    provide: UI_ASSETS,
    inject: [GATEWAY_SETTINGS],
    // The gateway's bundle is dist/apps/gateway/main.js; the UI is built into dist/apps/ui.
    useFactory: (settings: GatewaySettings) => UiAssets.load(settings.UI_ASSETS_DIR ?? join(__dirname, '..', 'ui')),
  },
];
