import { render } from 'solid-js/web';
import '../../pages/page.css';
import { Popup } from '../../pages/Popup';

render(() => <Popup />, document.getElementById('app')!);
