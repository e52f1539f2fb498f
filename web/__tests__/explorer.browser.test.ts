/// <reference lib="dom" />
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_DIR } from '../../test/support/env';
import { startStack, type Stack } from '../../test/support/stack';
import { findChromium } from '../../test/support/chromium';

/**
 * The explorer and the embeddable view in a real browser: Debian's Chromium (installed by `npm install` through
 * scripts/install-browser.mjs, and by .ci/run) driven by playwright-core, against the gateway and the seed data.
 */
const executablePath = findChromium();
const describeInBrowser = executablePath ? describe : describe.skip;
if (!executablePath)
  console.warn('[browser tests] skipped: no Chromium found (run `node scripts/install-browser.mjs`, or set CHROMIUM_PATH)');

const SCREENSHOTS = join(PROJECT_DIR, 'test-output');
const VIEW = `query($id: ID!, $depth: Int, $limit: Int) { relationshipView(id: $id, depth: $depth, limit: $limit) { nodes { id } } }`;

let stack: Stack;
let browser: Browser;
let base: string;
const offSite: string[] = [];

beforeAll(async () => {
  if (!executablePath) return;
  stack = await startStack();
  base = stack.gateway.url.replace(/\/graphql$/, '');
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function openPage(width: number, height: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  page.on('request', (request) => {
    if (!request.url().startsWith(base) && !request.url().startsWith('data:')) offSite.push(request.url());
  });
  page.on('pageerror', (error) => offSite.push(`page error: ${error.message}`));
  return page;
}

const nodeCount = (page: Page) => page.locator('ogp-relationship-view').getAttribute('data-node-count').then(Number);

/** A real mouse click where Cytoscape drew the node (inside the component's shadow root). */
async function clickNode(page: Page, id: string): Promise<void> {
  const point = await page.evaluate((nodeId) => {
    const view = document.querySelector('ogp-relationship-view') as HTMLElement & {
      cy: { $id(id: string): { renderedPosition(): { x: number; y: number } } };
    };
    const canvas = view.shadowRoot!.querySelector('.canvas')!.getBoundingClientRect();
    const p = view.cy.$id(nodeId).renderedPosition();
    return { x: canvas.left + p.x, y: canvas.top + p.y };
  }, id);
  await page.mouse.click(point.x, point.y);
}

async function viewIds(id: string): Promise<string[]> {
  const { body } = await stack.query(VIEW, { id, depth: 1, limit: 100 });
  return body.data.relationshipView.nodes.map((n: { id: string }) => n.id);
}

describeInBrowser('the explorer page in Chromium', () => {
  it('finds an actor without its accents, draws its network, expands a node on click, shows sources', async () => {
    const page = await openPage(1280, 800);
    await page.goto(`${base}/explore`);
    await page.fill('#search', 'Asociacion Civil por la Igualdad');
    await page.locator('.result[data-id="acij"]').click();

    const expected = await viewIds('acij');
    await page.waitForFunction(
      (n) => document.querySelector('ogp-relationship-view')?.getAttribute('data-node-count') === String(n),
      expected.length,
    );
    expect(await nodeCount(page)).toBe(expected.length);
    expect(page.url()).toContain('entity=acij');

    // A neighbour whose own neighbourhood brings nodes not yet drawn: clicking it must add exactly those.
    let target: string | undefined;
    let union = new Set(expected);
    for (const id of expected.filter((n) => n !== 'acij')) {
      const more = new Set([...expected, ...(await viewIds(id))]);
      if (more.size > expected.length) {
        target = id;
        union = more;
        break;
      }
    }
    expect(target).toBeDefined();
    await clickNode(page, target!);
    await page.waitForFunction(
      (n) => document.querySelector('ogp-relationship-view')?.getAttribute('data-node-count') === String(n),
      union.size,
    );
    expect(await nodeCount(page)).toBe(union.size);
    expect(await page.locator('#details h2').textContent()).toBeTruthy();
    expect(await page.locator('#sources li').count()).toBeGreaterThan(0);
    expect(await page.locator('#exports a').first().getAttribute('href')).toBe('/export/graphml?center=acij&depth=1');
    await page.screenshot({ path: join(SCREENSHOTS, 'explore.png') });
    expect(existsSync(join(SCREENSHOTS, 'explore.png'))).toBe(true);
    await page.close();
  });

  it('switches to the city-to-city view: one node per city in the cityCollaboration answer it drew', async () => {
    const page = await openPage(1280, 800);
    // Compared with the very answer the page received: other test files add and delete cities meanwhile.
    const answer = page.waitForResponse(
      (r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('cityCollaboration'),
    );
    await page.goto(`${base}/explore?mode=cities`);
    const body = (await (await answer).json()) as { data: { cityCollaboration: Array<{ a: { id: string }; b: { id: string } }> } };
    const cities = new Set(body.data.cityCollaboration.flatMap((l) => [l.a.id, l.b.id]));
    expect(cities.size).toBeGreaterThanOrEqual(4);
    await page.waitForFunction(
      (n) => document.querySelector('ogp-relationship-view')?.getAttribute('data-node-count') === String(n),
      cities.size,
    );
    expect(await nodeCount(page)).toBe(cities.size);
    expect(Number(await page.locator('ogp-relationship-view').getAttribute('data-edge-count'))).toBe(body.data.cityCollaboration.length);
    await page.close();
  });

  it('follows a funding trail: the funder, its grantees, what they produced, and the flows listed', async () => {
    const page = await openPage(1280, 800);
    const answer = page.waitForResponse((r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('fundingTrail'));
    const summary = page.waitForResponse((r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('fundingSummary'));
    await page.goto(`${base}/explore?entity=omidyar-network&mode=funding`);
    type Trail = {
      flows: Array<{ to: string }>;
      organizations: Array<{ organization: { id: string }; events: Array<{ id: string }>; commitments: Array<{ id: string }> }>;
    };
    const trail = ((await (await answer).json()) as { data: { fundingTrail: Trail } }).data.fundingTrail;
    const ids = new Set([
      'omidyar-network',
      ...trail.organizations.flatMap((o) => [o.organization.id, ...o.events.map((e) => e.id), ...o.commitments.map((c) => c.id)]),
    ]);
    expect(trail.flows.map((f) => f.to)).toContain('imco');
    await page.waitForFunction(
      (n) => document.querySelector('ogp-relationship-view')?.getAttribute('data-node-count') === String(n),
      ids.size,
    );
    expect(await page.locator('#flows li').count()).toBe(trail.flows.length);
    expect(await page.locator('#flows li').first().textContent()).toMatch(/Omidyar Network → .*25,000 USD/);
    // The funder's summary beside the trail: one row per transaction type and currency, as the API answers it.
    type Side = { byType: Array<{ typeName: string; currency: string }>; transactions: number };
    const sides = ((await (await summary).json()) as { data: { organization: { fundingSummary: { received: Side; given: Side } } } }).data
      .organization.fundingSummary;
    expect(sides.given.byType.length).toBeGreaterThan(0);
    const shown = [sides.received, sides.given].filter((side) => side.transactions > 0).flatMap((side) => side.byType);
    await page.locator('#funding-summary tbody tr').first().waitFor();
    expect(await page.locator('#funding-summary tbody tr').count()).toBe(shown.length);
    expect(await page.locator('#funding-summary').textContent()).toMatch(/Given: \d+ transaction/);
    await page.screenshot({ path: join(SCREENSHOTS, 'explore-funding.png') });
    // Upstream from the grantee: who funded it.
    const upstream = page.waitForResponse((r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('UPSTREAM'));
    await page.goto(`${base}/explore?entity=imco&mode=funding&direction=UPSTREAM`);
    await upstream;
    await page.locator('#flows li').first().waitFor();
    expect(await page.locator('#flows li').first().textContent()).toMatch(
      /^Omidyar Network → Mexican Institute for Competitiveness: 25,000 USD/,
    );
    expect(await page.locator('#direction').inputValue()).toBe('UPSTREAM');
    await page.close();
  });

  it('colours organizations by their community and sizes them by degree, as the API ranks them', async () => {
    const page = await openPage(1280, 800);
    await page.goto(`${base}/explore?entity=loci&depth=2&colour=community&size=DEGREE`);
    await page.waitForFunction(
      () => document.querySelector('ogp-relationship-view')?.getAttribute('data-styled') === 'community|DEGREE',
      undefined,
      { timeout: 30_000 },
    );
    type Drawn = { id: string; label: string; color: string; size: number };
    const drawn = (await page.evaluate(() => {
      const view = document.querySelector('ogp-relationship-view') as HTMLElement & {
        cy: { nodes(): { map<T>(f: (n: { id(): string; data(k: string): unknown }) => T): T[] } };
      };
      return view.cy
        .nodes()
        .map((n) => ({ id: n.id(), label: String(n.data('label')), color: String(n.data('color')), size: Number(n.data('size')) }));
    })) as Drawn[];
    const organizations = drawn.filter((n) => n.label === 'Organization');
    expect(organizations.length).toBeGreaterThan(3);
    // The same answer from the API: organizations of one community share a colour, of communities whose numbers differ
    // below ten (the palette's length) they do not.
    const communities = new Map<string, number>();
    for (const org of organizations) {
      const { body } = await stack.query('query($id: ID!) { organization(id: $id) { community { id } } }', { id: org.id });
      if (body.data.organization.community) communities.set(org.id, body.data.organization.community.id);
    }
    expect(new Set(communities.values()).size).toBeGreaterThan(1);
    const colourOf = new Map(organizations.map((o) => [o.id, o.color]));
    for (const [a, ca] of communities) {
      for (const [b, cb] of communities) expect(colourOf.get(a) === colourOf.get(b)).toBe(ca % 10 === cb % 10);
    }
    // Sizes: the best-ranked drawn actor is the largest (48 px); actors outside the ranking keep the default 22 px.
    const { body } = await stack.query('{ centrality(measure: DEGREE, first: 200) { scores { actor { id } score } } }');
    const ranked = new Map(
      (body.data.centrality.scores as Array<{ actor: { id: string }; score: number }>).map((s) => [s.actor.id, s.score]),
    );
    const drawnRanked = drawn.filter((n) => ranked.has(n.id)).sort((x, y) => ranked.get(y.id)! - ranked.get(x.id)!);
    expect(drawnRanked.length).toBeGreaterThan(0);
    expect(drawnRanked[0]!.size).toBe(48);
    expect(drawn.filter((n) => !ranked.has(n.id) && n.id !== 'loci').every((n) => n.size === 22)).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'explore-communities.png') });
    await page.close();
  });

  it('lists the brokers between groups of the drawn network as the API ranks them, with sample paths on request', async () => {
    const page = await openPage(1280, 800);
    await page.goto(`${base}/explore?entity=loci&depth=1&brokers=NETWORK`);
    const loaded = (prefix: string) =>
      page.waitForFunction((p) => document.querySelector('#brokers')?.getAttribute('data-loaded')?.startsWith(p), prefix, {
        timeout: 30_000,
      });
    await loaded('NETWORK|loci|');
    const { body } = await stack.query('{ brokerage(groupBy: NETWORK, network: "loci", first: 8) { actor { id } } }');
    const listed = await page.locator('#broker-list li[data-id]').evaluateAll((items) => items.map((i) => i.getAttribute('data-id')));
    expect(listed).toEqual(body.data.brokerage.map((b: { actor: { id: string } }) => b.actor.id));
    expect(listed).toContain('hivos-latin-america');
    // An organization's sample paths: the ones the API gives, each joining two other cohorts' members through it.
    const hub = page.locator('#broker-list li[data-id="hivos-latin-america"]');
    await hub.locator('.examples').click();
    await hub.locator('.triads li').first().waitFor();
    const triads = await hub.locator('.triads li').allTextContents();
    const api = await stack.query(
      '{ organization(id: "hivos-latin-america") { brokerage(groupBy: NETWORK, network: "loci", triads: 3) { triads { role } } } }',
    );
    expect(triads).toHaveLength(api.body.data.organization.brokerage.triads.length);
    expect(triads.every((t) => / → .*: (gatekeeper|representative)$/.test(t))).toBe(true);
    // Another grouping is asked for, and kept in the address.
    await page.selectOption('#broker-groups', 'CITY');
    await loaded('CITY|loci|');
    expect(page.url()).toContain('brokers=CITY');
    await page.close();
  });

  it('fits a phone-sized screen: no sideways scrolling, the graph in view', async () => {
    const page = await openPage(390, 844);
    await page.goto(`${base}/explore?entity=loci-buenos-aires`);
    await page.waitForFunction(() => Number(document.querySelector('ogp-relationship-view')?.getAttribute('data-node-count')) > 5);
    const layout = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      graph: document.querySelector('ogp-relationship-view')!.getBoundingClientRect().toJSON() as DOMRect,
    }));
    expect(layout.scrollWidth).toBeLessThanOrEqual(390);
    expect(layout.graph.width).toBeGreaterThan(300);
    expect(layout.graph.height).toBeGreaterThan(250);
    await page.screenshot({ path: join(SCREENSHOTS, 'explore-phone.png') });
    await page.close();
  });

  it('serves GraphiQL from our own bundle, with the schema documentation', async () => {
    const page = await openPage(1280, 800);
    await page.goto(`${base}/graphiql`);
    await page.locator('.graphiql-container').waitFor();
    await page.locator('button[aria-label="Show Documentation Explorer"]').click();
    await page
      .getByText('A GraphQL schema provides a root type', { exact: false })
      .or(page.locator('.graphiql-doc-explorer-title'))
      .first()
      .waitFor();
    expect(await page.locator('.graphiql-doc-explorer').count()).toBe(1);
    await page.close();
  });

  it('embeds in a host page as one script: attributes choose the view, node-select tells the host', async () => {
    const page = await openPage(900, 600);
    await page.route(`${base}/host-app`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><body><h1>A host app</h1>
        <ogp-relationship-view entity="open-government-partnership" depth="1" kinds="MEMBER_OF" expand="off" style="height:480px"></ogp-relationship-view>
        <script src="/assets/ogp-relationship-view.js"></script>
        <script>window.selected = []; document.addEventListener('node-select', (e) => window.selected.push(e.detail.id));</script></body>`,
      }),
    );
    await page.goto(`${base}/host-app`);
    const { body } = await stack.query(
      `{ relationshipView(id: "open-government-partnership", depth: 1, kinds: ["MEMBER_OF"]) { nodes { id } edges { kind } } }`,
    );
    const view = body.data.relationshipView;
    await page.waitForFunction(
      (n) => document.querySelector('ogp-relationship-view')?.getAttribute('data-node-count') === String(n),
      view.nodes.length,
    );
    expect(Number(await page.locator('ogp-relationship-view').getAttribute('data-edge-count'))).toBe(view.edges.length);
    const member = view.nodes[1].id as string;
    await clickNode(page, member);
    await page.waitForFunction(() => (window as unknown as { selected: string[] }).selected.length > 0);
    expect(await page.evaluate(() => (window as unknown as { selected: string[] }).selected)).toEqual([member]);
    // expand="off": a click selects without expanding.
    expect(await nodeCount(page)).toBe(view.nodes.length);
    await page.close();
  });

  it('never reached beyond the gateway (no CDN) and raised no page errors', () => {
    expect(offSite).toEqual([]);
  });
});
