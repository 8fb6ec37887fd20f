import { render } from 'solid-js/web';
import '../../pages/page.css';
import { IdentityPage } from '../../pages/identity/IdentityPage';

render(() => <IdentityPage />, document.getElementById('app')!);
