// Extension pages carry every language (content scripts fetch theirs: i18n/apply-settings).
import '../../i18n/all';
import { render } from 'solid-js/web';
import '../../pages/page.css';
import '../../pages/queue/queue.css';
import { QueuePage } from '../../pages/queue/QueuePage';

render(() => <QueuePage />, document.getElementById('app')!);
