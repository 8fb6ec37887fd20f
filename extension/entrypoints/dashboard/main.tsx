import { render } from 'solid-js/web';
import '../../pages/page.css';
import '../../pages/dashboard/dashboard.css';
import { Dashboard } from '../../pages/dashboard/Dashboard';

render(() => <Dashboard />, document.getElementById('app')!);
