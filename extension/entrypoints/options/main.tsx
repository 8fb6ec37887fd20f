import { render } from 'solid-js/web';
import '../../pages/page.css';
import { Options } from '../../pages/Options';

render(() => <Options />, document.getElementById('app')!);
