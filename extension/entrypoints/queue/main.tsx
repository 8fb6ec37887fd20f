import { render } from 'solid-js/web';
import '../../pages/page.css';
import '../../pages/queue/queue.css';
import { QueuePage } from '../../pages/queue/QueuePage';

render(() => <QueuePage />, document.getElementById('app')!);
