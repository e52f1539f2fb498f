import './relationship-view';
import { graphqlRequest } from './graphql-client';
import type { Citation, OgpRelationshipView, ViewEdge, ViewGraph, ViewNode } from './relationship-view';

/**
 * The explorer page (/explore): search an actor, see and expand its network, switch to the city-to-city view or
 * the funding trail, open the sources, export what is drawn. State lives in the URL so a view can be shared.
 */

type Mode = 'network' | 'cities' | 'funding';

const SEARCH = `query Search($text: String!) {
  search(text: $text, first: 12) { edges { node { type score entity {
    __typename
    ... on Organization { id name } ... on Person { id name } ... on Place { id name } ... on Network { id name }
    ... on Event { id name } ... on Grant { id name } ... on ActionPlan { id name } ... on Commitment { id name } ... on Initiative { id name }
  } } } }
}`;

const CITIES = `query Cities { cityCollaboration { a { id name country } b { id name country } actorPairs linkKinds carriers { a b } } }`;

const FUNDING = `query Funding($id: ID!, $direction: TrailDirection!) {
  fundingTrail(id: $id, direction: $direction) {
    start { id label name }
    totals { amount currency }
    flows { from to value { amount currency } date grantId purpose sources { id title quote url publisher date } }
    organizations { organization { id label kind name city country } events { id name date } commitments { id name } networks { id name } }
  }
}`;

const SUMMARY = `query FundingSummary($id: ID!) {
  organization(id: $id) { fundingSummary(counterparts: 5) {
    received { ...side } given { ...side }
  } }
}
fragment side on FundingSide {
  transactions counterpartCount
  byType { typeName currency amount transactions sources { id title url quote } }
  counterparts { organization { id name } transactions }
}`;

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const view = $<OgpRelationshipView>('ogp-relationship-view');
const endpoint = new URL('/graphql', window.location.href).toString();
const state = new URLSearchParams(window.location.search);

function currentMode(): Mode {
  const mode = state.get('mode');
  return mode === 'cities' || mode === 'funding' ? mode : 'network';
}

function saveState(): void {
  history.replaceState(null, '', `${window.location.pathname}?${state.toString()}`);
}

// ---------- search ----------

let searchTimer: number | undefined;
$<HTMLInputElement>('#search').addEventListener('input', (event) => {
  window.clearTimeout(searchTimer);
  const text = (event.target as HTMLInputElement).value.trim();
  searchTimer = window.setTimeout(() => void runSearch(text), 250);
});
$<HTMLFormElement>('#search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void runSearch($<HTMLInputElement>('#search').value.trim());
});

async function runSearch(text: string): Promise<void> {
  const list = $<HTMLUListElement>('#results');
  if (text.length < 2) return void list.replaceChildren();
  try {
    const data = await graphqlRequest<{
      search: { edges: Array<{ node: { type: string; entity: { __typename: string; id: string; name: string } } }> };
    }>(endpoint, SEARCH, { text });
    list.replaceChildren(
      ...data.search.edges.map(({ node }) => {
        const item = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'result';
        button.dataset.id = node.entity.id;
        button.append(node.entity.name, Object.assign(document.createElement('small'), { textContent: ` ${node.entity.__typename}` }));
        button.addEventListener('click', () => choose(node.entity.id));
        item.append(button);
        return item;
      }),
    );
    if (data.search.edges.length === 0)
      list.replaceChildren(Object.assign(document.createElement('li'), { textContent: 'Nothing found.' }));
  } catch (error) {
    list.replaceChildren(Object.assign(document.createElement('li'), { textContent: (error as Error).message, className: 'error' }));
  }
}

function choose(id: string): void {
  state.set('entity', id);
  if (currentMode() === 'cities') state.set('mode', 'network');
  saveState();
  void show();
}

// ---------- modes ----------

for (const tab of document.querySelectorAll<HTMLButtonElement>('[data-mode]')) {
  tab.addEventListener('click', () => {
    state.set('mode', tab.dataset.mode!);
    saveState();
    void show();
  });
}
$<HTMLSelectElement>('#direction').addEventListener('change', (event) => {
  state.set('direction', (event.target as HTMLSelectElement).value);
  saveState();
  void show();
});
$<HTMLSelectElement>('#depth').addEventListener('change', (event) => {
  state.set('depth', (event.target as HTMLSelectElement).value);
  saveState();
  void show();
});

async function show(): Promise<void> {
  const mode = currentMode();
  const entity = state.get('entity');
  for (const tab of document.querySelectorAll<HTMLButtonElement>('[data-mode]'))
    tab.setAttribute('aria-pressed', String(tab.dataset.mode === mode));
  $<HTMLSelectElement>('#depth').value = state.get('depth') ?? '1';
  $<HTMLSelectElement>('#direction').value = direction();
  $('#direction-label').hidden = mode !== 'funding';
  $('#flows').replaceChildren();
  $('#funding-summary').replaceChildren();
  if (mode === 'cities') return showCities();
  if (!entity) return setNote('Search for an actor, a network or a place to begin.');
  if (mode === 'funding') return showFunding(entity);
  setNote('');
  // Attribute changes coalesce into one load (the component loads on the next microtask), even when unchanged.
  view.removeAttribute('entity');
  view.setAttribute('depth', state.get('depth') ?? '1');
  view.setAttribute('entity', entity);
  updateExports(entity);
}

async function showCities(): Promise<void> {
  setNote('Cities linked through collaborating actors; line width is the number of actor pairs.');
  const data = await graphqlRequest<{
    cityCollaboration: Array<{ a: City; b: City; actorPairs: number; linkKinds: string[]; carriers: Array<{ a: string; b: string }> }>;
  }>(endpoint, CITIES, {});
  const nodes = new Map<string, ViewNode>();
  const edges: ViewEdge[] = [];
  for (const link of data.cityCollaboration) {
    for (const city of [link.a, link.b])
      nodes.set(city.id, { id: city.id, label: 'City', name: city.name, country: city.country, kind: 'city' });
    edges.push({
      id: `${link.a.id}~${link.b.id}`,
      source: link.a.id,
      target: link.b.id,
      kind: 'CITY_LINK',
      weight: link.actorPairs,
      role: `${link.actorPairs} actor pairs: ${link.linkKinds.join(', ').toLowerCase()}`,
    });
  }
  view.removeAttribute('entity');
  view.setGraph({ nodes: [...nodes.values()], edges });
  updateExports(undefined);
}

interface City {
  id: string;
  name: string;
  country?: string | null;
}

const direction = (): 'DOWNSTREAM' | 'UPSTREAM' => (state.get('direction') === 'UPSTREAM' ? 'UPSTREAM' : 'DOWNSTREAM');

async function showFunding(entity: string): Promise<void> {
  type Flow = {
    from: string;
    to: string;
    value?: { amount: number; currency: string } | null;
    date?: string | null;
    grantId?: string | null;
    purpose?: string | null;
    sources: Citation[];
  };
  type Org = {
    organization: ViewNode;
    events: Array<{ id: string; name: string; date?: string }>;
    commitments: Array<{ id: string; name: string }>;
    networks: Array<{ id: string; name: string }>;
  };
  try {
    const data = await graphqlRequest<{
      fundingTrail: { start: ViewNode; totals: Array<{ amount: number; currency: string }>; flows: Flow[]; organizations: Org[] };
    }>(endpoint, FUNDING, { id: entity, direction: direction() });
    const trail = data.fundingTrail;
    const nodes = new Map<string, ViewNode>([[trail.start.id, trail.start]]);
    const edges: ViewEdge[] = [];
    for (const { organization, events, commitments } of trail.organizations) {
      nodes.set(organization.id, organization);
      for (const event of events) {
        nodes.set(event.id, { id: event.id, label: 'Event', name: event.name });
        edges.push({ id: `${organization.id}>${event.id}`, source: organization.id, target: event.id, kind: 'PARTICIPATED_IN' });
      }
      for (const commitment of commitments) {
        nodes.set(commitment.id, { id: commitment.id, label: 'Commitment', name: commitment.name });
        edges.push({ id: `${organization.id}>${commitment.id}`, source: organization.id, target: commitment.id, kind: 'MADE_COMMITMENT' });
      }
    }
    trail.flows.forEach((flow, i) =>
      edges.push({
        id: `flow-${i}`,
        source: flow.from,
        target: flow.to,
        kind: 'FUNDED',
        since: flow.date ?? null,
        sources: flow.sources,
        role: flow.value ? money(flow.value) : 'amount not stated',
        weight: 2,
      }),
    );
    view.setGraph({ nodes: [...nodes.values()], edges } satisfies ViewGraph, trail.start.id);
    const way = direction() === 'UPSTREAM' ? 'to' : 'from';
    setNote(
      trail.flows.length
        ? `Money ${way} ${trail.start.name}: ${trail.totals.map(money).join(' + ') || 'amounts not stated'} in ${trail.flows.length} flow(s).`
        : `No funding recorded ${way} ${trail.start.name}.`,
    );
    $('#flows').replaceChildren(
      ...trail.flows.map((flow) => {
        const row = document.createElement('li');
        row.textContent = `${nodes.get(flow.from)?.name ?? flow.from} → ${nodes.get(flow.to)?.name ?? flow.to}: ${flow.value ? money(flow.value) : 'amount not stated'}${flow.date ? ` (${flow.date})` : ''}`;
        return row;
      }),
    );
  } catch (error) {
    setNote((error as Error).message);
  }
  updateExports(entity);
  await showFundingSummary(entity);
}

type SummaryFigure = { typeName: string; currency: string; amount: number; transactions: number; sources: Citation[] };
type SummarySide = {
  transactions: number;
  counterpartCount: number;
  byType: SummaryFigure[];
  counterparts: Array<{ organization: { id: string; name: string } | null; transactions: number }>;
};

/** An organization's money in and out, net per transaction type and currency, with the files behind each figure. */
async function showFundingSummary(entity: string): Promise<void> {
  const section = $('#funding-summary');
  let summary: { received: SummarySide; given: SummarySide };
  try {
    summary = (await graphqlRequest<{ organization: { fundingSummary: typeof summary } }>(endpoint, SUMMARY, { id: entity })).organization
      .fundingSummary;
  } catch {
    return; // not an organization (a grant's trail): there is no summary to show
  }
  const parts: HTMLElement[] = [];
  for (const [heading, side] of [
    ['Received', summary.received],
    ['Given', summary.given],
  ] as const) {
    if (side.transactions === 0) continue;
    parts.push(
      Object.assign(document.createElement('h3'), {
        textContent: `${heading}: ${side.transactions} transaction(s), ${side.counterpartCount} counterpart(s)`,
      }),
    );
    const table = document.createElement('table');
    table
      .createTHead()
      .insertRow()
      .append(
        ...['Type', 'Net', 'Transactions', 'Sources'].map((text) => Object.assign(document.createElement('th'), { textContent: text })),
      );
    const body = table.createTBody();
    for (const figure of side.byType) {
      const row = body.insertRow();
      row.insertCell().textContent = figure.typeName;
      row.insertCell().textContent = money(figure);
      row.insertCell().textContent = String(figure.transactions);
      const cell = row.insertCell();
      for (const source of figure.sources) {
        const name = source.url
          ? Object.assign(document.createElement('a'), { href: source.url, target: '_blank', rel: 'noopener' })
          : document.createElement('span');
        Object.assign(name, { textContent: source.title, title: source.quote });
        cell.append(name, ' ');
      }
    }
    const top = document.createElement('ol');
    top.append(
      ...side.counterparts.map((c) =>
        Object.assign(document.createElement('li'), { textContent: `${c.organization?.name ?? 'not named'}: ${c.transactions}` }),
      ),
    );
    parts.push(table, top);
  }
  if (parts.length === 0)
    parts.push(Object.assign(document.createElement('p'), { textContent: 'No transactions or stated grants for this organization.' }));
  section.replaceChildren(...parts);
}

const money = (m: { amount: number; currency: string }) => `${m.amount.toLocaleString()} ${m.currency}`;

// ---------- colour by community, size by centrality ----------

/** Ten colours far apart (Tableau 10): communities beyond ten reuse them. */
const COMMUNITY_COLOURS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

const colourBy = (): 'kind' | 'community' => (state.get('colour') === 'community' ? 'community' : 'kind');
const sizeBy = (): string => (['DEGREE', 'BETWEENNESS', 'PAGERANK'].includes(state.get('size') ?? '') ? state.get('size')! : '');

for (const [selector, key] of [
  ['#colour-by', 'colour'],
  ['#size-by', 'size'],
] as const) {
  $<HTMLSelectElement>(selector).addEventListener('change', (event) => {
    state.set(key, (event.target as HTMLSelectElement).value);
    saveState();
    void applyMeasures();
  });
}
view.addEventListener('view-load', () => void applyMeasures());
view.addEventListener('node-expand', () => void applyMeasures());

/**
 * Colours the drawn organizations by the community `Organization.community` puts them in (over the whole graph's
 * collaboration graph) and sizes them by a centrality's score, relative to the largest drawn. One request for the
 * communities (an alias per organization) and one for the ranking; reflects `data-styled` when done.
 */
/** What this page has learnt: each drawn organization's community, each measure's ranking (asked once). */
const communityOf = new Map<string, number | null>();
const rankings = new Map<string, Promise<Array<{ actor: { id: string }; score: number }>>>();

async function rankingOf(measure: string) {
  const data = await graphqlRequest<{ centrality: { scores: Array<{ actor: { id: string }; score: number }> } }>(
    endpoint,
    'query Centrality($measure: CentralityMeasure!) { centrality(measure: $measure, first: 200) { scores { actor { id } score } } }',
    { measure },
  ).catch((error: unknown) => {
    rankings.delete(measure); // a failure is not kept: the next change of view asks again
    throw error;
  });
  return data.centrality.scores;
}

async function applyMeasures(): Promise<void> {
  const colour = colourBy();
  const size = sizeBy();
  $<HTMLSelectElement>('#colour-by').value = colour;
  $<HTMLSelectElement>('#size-by').value = size;
  const organizations = (
    view.cy
      ?.nodes()
      .filter((n) => n.data('label') === 'Organization')
      .map((n) => n.id()) ?? []
  ).slice(0, 100);
  const styles = new Map<string, { color?: string; size?: number }>();
  try {
    if (colour === 'community') {
      // Asked once per organization for this page: an expansion asks only about the organizations it added.
      const unknown = organizations.filter((id) => !communityOf.has(id));
      if (unknown.length > 0) {
        const query = `query Communities { ${unknown.map((id, i) => `o${i}: organization(id: ${JSON.stringify(id)}) { id community { id } }`).join(' ')} }`;
        const data = await graphqlRequest<Record<string, { id: string; community: { id: number } | null }>>(endpoint, query, {});
        unknown.forEach((id, i) => communityOf.set(id, data[`o${i}`]?.community?.id ?? null));
      }
      for (const id of organizations) {
        const community = communityOf.get(id);
        if (community !== null && community !== undefined)
          styles.set(id, { color: COMMUNITY_COLOURS[community % COMMUNITY_COLOURS.length] });
      }
      // Everything else in grey, so no kind's colour reads as a community.
      for (const id of view.cy?.nodes().map((n) => n.id()) ?? []) if (!styles.has(id)) styles.set(id, { color: '#d0d0d0' });
    }
    if (size) {
      if (!rankings.has(size)) rankings.set(size, rankingOf(size));
      const drawn = new Set(view.cy?.nodes().map((n) => n.id()) ?? []);
      const scores = (await rankings.get(size)!).filter((s) => drawn.has(s.actor.id));
      const top = Math.max(...scores.map((s) => s.score), Number.MIN_VALUE);
      for (const { actor, score } of scores) styles.set(actor.id, { ...styles.get(actor.id), size: Math.round(14 + 34 * (score / top)) });
    }
  } catch (error) {
    setNote(`Colours and sizes unavailable: ${(error as Error).message}`);
  }
  view.restyle(styles);
  view.setAttribute('data-styled', `${colour}|${size}`);
}

// ---------- brokers ----------

const BROKERS = `query Brokers($groupBy: BrokerageGrouping!, $network: ID) {
  brokerage(groupBy: $groupBy, network: $network, first: 8) {
    actor { id label name } roles { coordinator itinerant gatekeeper representative liaison total }
  }
}`;

const TRIADS = `query Triads($id: ID!, $groupBy: BrokerageGrouping!, $network: ID) {
  organization(id: $id) { brokerage(groupBy: $groupBy, network: $network, triads: 3) {
    triads { role from { name } to { name } fromGroup toGroup }
  } }
}`;

const ROLES = ['coordinator', 'itinerant', 'gatekeeper', 'representative', 'liaison'] as const;
type Roles = Record<(typeof ROLES)[number] | 'total', number>;

const brokerGroups = (): string =>
  ['CITY', 'COUNTRY', 'KIND', 'NETWORK', 'SECTOR'].includes(state.get('brokers') ?? '') ? state.get('brokers')! : 'CITY';

$<HTMLSelectElement>('#broker-groups').addEventListener('change', (event) => {
  state.set('brokers', (event.target as HTMLSelectElement).value);
  saveState();
  void showBrokers();
});
view.addEventListener('view-load', () => void showBrokers());

/**
 * The actors with the most Gould-Fernandez brokerage between groups, with their role counts: within the drawn network
 * when the centre is one, else over every actor. An organization's sample paths open on request. Reflects
 * `data-loaded` (grouping|scope|count) when done.
 */
async function showBrokers(): Promise<void> {
  const groupBy = brokerGroups();
  $<HTMLSelectElement>('#broker-groups').value = groupBy;
  const entity = state.get('entity');
  const network = entity && view.cy?.$id(entity).data('label') === 'Network' ? entity : null;
  const section = $('#brokers');
  const list = $<HTMLOListElement>('#broker-list');
  $('#broker-scope').textContent = network ? `Within ${view.cy!.$id(network).data('name')} and its cohorts.` : 'Among every actor.';
  let brokers: Array<{ actor: { id: string; label: string; name: string }; roles: Roles }>;
  try {
    brokers = (await graphqlRequest<{ brokerage: typeof brokers }>(endpoint, BROKERS, { groupBy, network })).brokerage;
  } catch (error) {
    list.replaceChildren(Object.assign(document.createElement('li'), { textContent: `Unavailable: ${(error as Error).message}` }));
    return;
  }
  list.replaceChildren(
    ...brokers.map(({ actor, roles }) => {
      const item = document.createElement('li');
      item.dataset.id = actor.id;
      const name = Object.assign(document.createElement('button'), { type: 'button', textContent: actor.name });
      name.addEventListener('click', () => choose(actor.id));
      const counts = Object.assign(document.createElement('div'), {
        className: 'roles',
        textContent: `${ROLES.filter((r) => roles[r] > 0)
          .map((r) => `${r} ${roles[r]}`)
          .join(' · ')} (${roles.total} open paths)`,
      });
      item.append(name, counts);
      if (actor.label === 'Organization') {
        const examples = Object.assign(document.createElement('button'), {
          type: 'button',
          textContent: 'examples',
          className: 'examples',
        });
        examples.addEventListener('click', () => void showTriads(item, actor.id, groupBy, network));
        item.append(examples);
      }
      return item;
    }),
  );
  section.dataset.loaded = `${groupBy}|${network ?? '*'}|${brokers.length}`;
}

/** Sample open two-step paths through one broker: who it joins, their groups, and its role in each. */
async function showTriads(item: HTMLElement, id: string, groupBy: string, network: string | null): Promise<void> {
  type Triad = { role: string; from: { name: string }; to: { name: string }; fromGroup?: string; toGroup?: string };
  const data = await graphqlRequest<{ organization: { brokerage: { triads: Triad[] } | null } }>(endpoint, TRIADS, {
    id,
    groupBy,
    network,
  });
  const triads = data.organization.brokerage?.triads ?? [];
  const group = (g?: string) => (g ? ` (${g})` : '');
  const list = Object.assign(document.createElement('ul'), { className: 'triads' });
  list.replaceChildren(
    ...triads.map((t) =>
      Object.assign(document.createElement('li'), {
        textContent: `${t.from.name}${group(t.fromGroup)} → ${t.to.name}${group(t.toGroup)}: ${t.role.toLowerCase()}`,
      }),
    ),
  );
  item.querySelector('.triads')?.remove();
  item.append(list);
}

// ---------- details and sources ----------

view.addEventListener('node-select', (event) => {
  const { id, label, name, kind } = (event as CustomEvent<{ id: string; label: string; name: string; kind?: string }>).detail;
  const panel = $('#details');
  panel.replaceChildren();
  const title = document.createElement('h2');
  title.textContent = name;
  const meta = document.createElement('p');
  meta.textContent = [label, kind].filter(Boolean).join(' · ');
  const actions = document.createElement('p');
  const centre = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Centre here' });
  centre.addEventListener('click', () => choose(id));
  const trail = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Funding trail' });
  trail.addEventListener('click', () => {
    state.set('entity', id);
    state.set('mode', 'funding');
    saveState();
    void show();
  });
  actions.append(centre, ' ', trail);
  panel.append(title, meta, actions, sourcesOf(id));
});

/** The citations on the drawn relationships of a node, each source once, with every quote that supports it. */
function sourcesOf(id: string): HTMLElement {
  const section = document.createElement('section');
  section.id = 'sources';
  const heading = document.createElement('h3');
  heading.textContent = 'Sources';
  section.append(heading);
  const bySource = new Map<string, { source: Citation; quotes: Set<string> }>();
  view.cy
    ?.$id(id)
    .connectedEdges()
    .forEach((edge) => {
      for (const source of (edge.data('sources') ?? []) as Citation[]) {
        const entry = bySource.get(source.id) ?? { source, quotes: new Set<string>() };
        entry.quotes.add(source.quote);
        bySource.set(source.id, entry);
      }
    });
  if (bySource.size === 0)
    section.append(Object.assign(document.createElement('p'), { textContent: 'No sources on the drawn relationships.' }));
  const list = document.createElement('ul');
  for (const { source, quotes } of bySource.values()) {
    const item = document.createElement('li');
    const name = source.url
      ? Object.assign(document.createElement('a'), { href: source.url, target: '_blank', rel: 'noopener' })
      : document.createElement('strong');
    name.textContent = source.title;
    item.append(name, ` ${[source.publisher, source.date].filter(Boolean).join(', ')}`);
    for (const quote of quotes) item.append(Object.assign(document.createElement('blockquote'), { textContent: quote }));
    list.append(item);
  }
  section.append(list);
  return section;
}

function updateExports(entity: string | undefined): void {
  const links = $('#exports');
  links.replaceChildren();
  if (!entity) return;
  const depth = state.get('depth') ?? '1';
  for (const [format, text] of [
    ['graphml', 'GraphML'],
    ['nodes.csv', 'nodes.csv'],
    ['edges.csv', 'edges.csv'],
    ['json', 'JSON'],
  ] as const) {
    const a = document.createElement('a');
    a.href = `/export/${format}?center=${encodeURIComponent(entity)}&depth=${depth}`;
    a.textContent = text;
    links.append(a, ' ');
  }
}

function setNote(text: string): void {
  $('#note').textContent = text;
}

$<HTMLInputElement>('#search').value = '';
void show();
