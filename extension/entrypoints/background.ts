import { defineBackground } from 'wxt/utils/define-background';

export default defineBackground(() => {
  // Filled by the extension core: the only API client.
});
