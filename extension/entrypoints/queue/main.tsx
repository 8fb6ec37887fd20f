// Extension pages carry every language (content scripts fetch theirs: i18n/apply-settings).
import '../../i18n/all';
import { render } from 'solid-js/web';
import { t } from '../../i18n';
import { applyPageSettings } from '../../i18n/apply-settings';
import '../../pages/page.css';
import '../../pages/queue/queue.css';
import { QueuePage } from '../../pages/queue/QueuePage';

// Language, digits, calendar, direction and theme from the settings, like the other pages (the
// queue page read only the language once, so its digits, calendar and theme were the defaults).
void applyPageSettings(() => t('queue.title'));
render(() => <QueuePage />, document.getElementById('app')!);
