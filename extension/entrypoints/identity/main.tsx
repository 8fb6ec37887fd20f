// Extension pages carry every language (content scripts fetch theirs: i18n/apply-settings).
import '../../i18n/all';
import { render } from 'solid-js/web';
import { t } from '../../i18n';
import { applyPageSettings } from '../../i18n/apply-settings';
import '../../pages/page.css';
import { IdentityPage } from '../../pages/identity/IdentityPage';

// Language, digits, calendar, direction and theme from the settings (text re-renders when they arrive).
void applyPageSettings(() => t('identity.pageTitle'));
render(() => <IdentityPage />, document.getElementById('app')!);
