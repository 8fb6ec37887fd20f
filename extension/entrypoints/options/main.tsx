// Extension pages carry every language (content scripts fetch theirs: i18n/apply-settings).
import '../../i18n/all';
import { render } from 'solid-js/web';
import { t } from '../../i18n';
import { applyPageSettings } from '../../i18n/apply-settings';
import '../../pages/page.css';
import { Options } from '../../pages/Options';

// Language, digits, calendar, direction and theme from the settings (text re-renders when they arrive).
void applyPageSettings(() => t('options.title'));
render(() => <Options />, document.getElementById('app')!);
