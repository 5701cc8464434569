// A tab of our own that asks for site access, for browsers that refuse the prompt from DevTools.
const api = globalThis.chrome;
const result = document.getElementById('result');
document.getElementById('allow').addEventListener('click', async () => {
  const ok = await api.permissions.request({ origins: ['<all_urls>'] }).catch(() => false);
  result.textContent = ok ? 'Granted. You can close this tab and sign in again.' : 'Not granted.';
});
