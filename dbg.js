const { chromium } = require('playwright-core');
(async () => {
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const p = await b.newPage({ viewport: { width: 1280, height: 800 } });
  p.on('console', m => console.log('console:', m.text()));
  p.on('pageerror', e => console.log('pageerror:', e.message));
  await p.goto('http://127.0.0.1:4000/explore?entity=acij');
  await p.waitForTimeout(3000);
  console.log(await p.evaluate(() => { const v = document.querySelector('ogp-relationship-view'); return [v.getAttribute('data-node-count'), v.shadowRoot.querySelector('.status').textContent, document.querySelector('#note').textContent]; }));
  await p.screenshot({ path: '/tmp/dbg.png' });
  await b.close();
})();
