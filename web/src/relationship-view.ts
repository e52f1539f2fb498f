import cytoscape, { type Core, type ElementDefinition, type EventObject, type LayoutOptions } from 'cytoscape';
import { graphqlRequest, GraphqlRequestError } from './graphql-client';

/** A node as the relationshipView query gives it (and as setGraph takes it). */
export interface ViewNode {
  id: string;
  label: string;
  kind?: string | null;
  name: string;
  city?: string | null;
  country?: string | null;
  distance?: number | null;
  /** Free text shown on hover (used by views that are not relationship views, e.g. city links). */
  detail?: string | null;
}

export interface Citation {
  id: string;
  title: string;
  quote: string;
  url?: string | null;
  publisher?: string | null;
  date?: string | null;
}

export interface ViewEdge {
  id: string;
  source: string;
  target: string;
  kind: string;
  role?: string | null;
  since?: string | null;
  until?: string | null;
  sources?: Citation[];
  /** Line width weight (e.g. actor pairs between two cities); default 1. */
  weight?: number | null;
}

export interface ViewGraph {
  nodes: ViewNode[];
  edges: ViewEdge[];
}

const VIEW_QUERY = `query RelationshipView($id: ID!, $depth: Int!, $limit: Int!, $kinds: [String!]) {
  relationshipView(id: $id, depth: $depth, limit: $limit, kinds: $kinds) {
    center truncated
    nodes { id label kind name city country distance }
    edges { id source target kind role since until sources { id title quote url publisher date } }
  }
}`;

/** One colour and shape per entity type, so a reader learns the legend once. */
export const NODE_STYLES: Record<string, { color: string; shape: cytoscape.Css.NodeShape }> = {
  Organization: { color: '#1f77b4', shape: 'ellipse' },
  Person: { color: '#ff7f0e', shape: 'ellipse' },
  Network: { color: '#2ca02c', shape: 'hexagon' },
  Place: { color: '#8c564b', shape: 'round-rectangle' },
  Event: { color: '#9467bd', shape: 'diamond' },
  Grant: { color: '#d62728', shape: 'round-triangle' },
  Result: { color: '#e377c2', shape: 'round-triangle' },
  ActionPlan: { color: '#17becf', shape: 'round-rectangle' },
  Commitment: { color: '#bcbd22', shape: 'round-rectangle' },
  Initiative: { color: '#7f7f7f', shape: 'star' },
  City: { color: '#8c564b', shape: 'ellipse' },
};

/** Relationship types grouped the way the insights subgraph groups link kinds; each group has one colour. */
const EDGE_GROUPS: Array<{ name: string; color: string; types: string[] }> = [
  { name: 'Networks', color: '#2ca02c', types: ['MEMBER_OF', 'HUB_FOR', 'PART_OF', 'PARTNERS_WITH'] },
  { name: 'People', color: '#ff7f0e', types: ['WORKS_FOR', 'PARTICIPATED_IN'] },
  {
    name: 'Funding',
    color: '#d62728',
    types: [
      'FUNDED',
      'SUPPORTED',
      'PARTICIPATES_IN_GRANT',
      'FUNDS_ACTIVITY',
      'RELATED_ACTIVITY',
      'HAS_RESULT',
      'HAS_TRANSACTION',
      'PROVIDED',
      'RECEIVED',
    ],
  },
  { name: 'Procurement', color: '#e377c2', types: ['PARTY_TO', 'PROCURED_FROM'] },
  {
    name: 'Commitments',
    color: '#bcbd22',
    types: ['MADE_COMMITMENT', 'IN_PLAN', 'PLAN_OF', 'ADOPTED', 'CONTRIBUTED_TO', 'RUNS', 'REALIZED_BY'],
  },
  { name: 'Places', color: '#8c564b', types: ['BASED_IN', 'GOVERNS', 'WORKS_IN', 'IN', 'HELD_IN'] },
  { name: 'Events', color: '#9467bd', types: ['ORGANIZED'] },
  { name: 'City links', color: '#6a3d9a', types: ['CITY_LINK'] },
];
const OTHER_EDGE_COLOR = '#999999';

export const edgeColor = (kind: string): string => EDGE_GROUPS.find((g) => g.types.includes(kind))?.color ?? OTHER_EDGE_COLOR;

export type LayoutName = 'force' | 'concentric' | 'city';

/** Node diameter in pixels when no measure sizes it. */
const DEFAULT_NODE_SIZE = 22;

const TEMPLATE = `
<style>
  :host { display: block; position: relative; min-height: 320px; font: 13px/1.4 system-ui, sans-serif; color: #222; }
  .bar { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; padding: 6px 8px; border-bottom: 1px solid #ddd; background: #fafafa; }
  .bar label { white-space: nowrap; }
  .kinds { display: flex; flex-wrap: wrap; gap: 4px 10px; }
  .canvas { position: absolute; top: var(--bar-height, 40px); left: 0; right: 0; bottom: 0; }
  .legend { position: absolute; right: 6px; bottom: 6px; background: rgba(255,255,255,.92); border: 1px solid #ddd; border-radius: 4px; padding: 4px 8px; max-width: 45%; font-size: 12px; }
  .legend span { display: inline-flex; align-items: center; gap: 4px; margin-right: 8px; white-space: nowrap; }
  .legend i { display: inline-block; width: 10px; height: 10px; border-radius: 50%; }
  .legend b { display: inline-block; width: 14px; height: 3px; }
  .tip { position: absolute; pointer-events: none; background: #fff; border: 1px solid #bbb; border-radius: 4px; padding: 6px 8px; max-width: 320px; box-shadow: 0 2px 6px rgba(0,0,0,.15); display: none; z-index: 2; }
  .tip q { display: block; font-style: italic; color: #444; margin: 2px 0; }
  .status { position: absolute; left: 8px; bottom: 6px; color: #555; font-size: 12px; }
  .status.error { color: #b00020; }
</style>
<div class="bar" part="toolbar">
  <label>Layout <select class="layout">
    <option value="force">force</option><option value="concentric">rings by distance</option><option value="city">grouped by city</option>
  </select></label>
  <div class="kinds" part="kind-filters"></div>
</div>
<div class="canvas" part="canvas"></div>
<div class="legend" part="legend"></div>
<div class="tip" part="tooltip"></div>
<div class="status" part="status" role="status" aria-live="polite"></div>`;

/**
 * `<ogp-relationship-view entity="loci" depth="2" endpoint="/graphql">`: draws the relationship view of one entity.
 *
 * Attributes: `entity` (id, required to load), `depth` (1-3, default 1), `endpoint` (GraphQL URL, default /graphql
 * on this page's origin), `api-key`, `limit` (most nodes, default 100), `layout` (force | concentric | city),
 * `kinds` (comma-separated relationship types to show; default all).
 * Events (bubbling, composed): `view-load` {center, nodes, edges, truncated}, `node-select` {id, label, name, kind},
 * `node-expand` {id, added}, `view-error` {message, code}.
 * Methods: `load()`, `expand(id)`, `setGraph({nodes, edges})` (draw any node-link data), `fit()`,
 * `restyle(byId)` (colour and size nodes by any measure, e.g. community and centrality; `restyle()` undoes it).
 * Reflects `data-node-count` and `data-edge-count` for hosts and tests.
 */
export class OgpRelationshipView extends HTMLElement {
  static observedAttributes = ['entity', 'depth', 'endpoint', 'limit', 'layout', 'kinds', 'api-key'];

  /** The Cytoscape instance, for hosts that want more than the attributes give. */
  cy?: Core;
  private readonly root: ShadowRoot;
  private hiddenKinds = new Set<string>();
  private loading?: AbortController;
  private pendingLoad = false;

  constructor() {
    super();
    this.root = this.attachShadow({ mode: 'open' });
    this.root.innerHTML = TEMPLATE;
  }

  get nodeCount(): number {
    return this.cy?.nodes().not(':parent').length ?? 0;
  }
  get edgeCount(): number {
    return this.cy?.edges().length ?? 0;
  }

  connectedCallback(): void {
    if (!this.cy) this.createGraph();
    this.scheduleLoad();
  }

  disconnectedCallback(): void {
    this.loading?.abort();
  }

  attributeChangedCallback(name: string, oldValue: string | null, newValue: string | null): void {
    if (oldValue === newValue || !this.cy) return;
    if (name === 'layout') return this.runLayout();
    if (name === 'kinds') this.hiddenKinds.clear();
    if (['entity', 'depth', 'limit', 'kinds', 'endpoint', 'api-key'].includes(name)) this.scheduleLoad();
  }

  /** Loads the relationship view of the `entity` attribute, replacing what is drawn. */
  async load(): Promise<void> {
    const entity = this.getAttribute('entity');
    if (!entity) return;
    const view = await this.fetchView(entity, this.depth);
    if (!view) return;
    this.cy!.elements().remove();
    this.merge(view, entity);
    this.runLayout();
    this.emit('view-load', { center: entity, nodes: this.nodeCount, edges: this.edgeCount, truncated: view.truncated });
  }

  /** Adds the one-hop neighbourhood of a drawn node; resolves to how many nodes were new. */
  async expand(id: string): Promise<number> {
    const view = await this.fetchView(id, 1);
    if (!view) return 0;
    const before = this.nodeCount;
    this.merge(view, this.getAttribute('entity') ?? id);
    const added = this.nodeCount - before;
    this.cy!.$id(id).data('expanded', true);
    if (added > 0) this.runLayout();
    this.emit('node-expand', { id, added });
    return added;
  }

  /** Draws any node-link data (the explorer uses it for city-to-city links and funding trails). */
  setGraph(graph: ViewGraph, center?: string): void {
    if (!this.cy) this.createGraph();
    this.loading?.abort();
    this.cy!.elements().remove();
    this.merge(graph, center);
    this.runLayout();
    this.emit('view-load', { center: center ?? null, nodes: this.nodeCount, edges: this.edgeCount, truncated: false });
  }

  fit(): void {
    this.cy?.fit(undefined, 24);
  }

  private get depth(): number {
    const depth = Number(this.getAttribute('depth') ?? 1);
    return Number.isInteger(depth) && depth >= 1 && depth <= 3 ? depth : 1;
  }

  private get endpoint(): string {
    return this.getAttribute('endpoint') ?? new URL('/graphql', window.location.href).toString();
  }

  /** Attribute changes arrive one by one; load once after the current task. */
  private scheduleLoad(): void {
    if (this.pendingLoad) return;
    this.pendingLoad = true;
    queueMicrotask(() => {
      this.pendingLoad = false;
      void this.load();
    });
  }

  private async fetchView(id: string, depth: number): Promise<(ViewGraph & { truncated: boolean }) | undefined> {
    this.loading?.abort();
    const controller = new AbortController();
    this.loading = controller;
    const kinds = (this.getAttribute('kinds') ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean);
    this.setStatus('Loading…');
    try {
      const data = await graphqlRequest<{ relationshipView: ViewGraph & { truncated: boolean } }>(
        this.endpoint,
        VIEW_QUERY,
        {
          id,
          depth,
          limit: Number(this.getAttribute('limit') ?? 100),
          kinds: kinds.length ? kinds : null,
        },
        { apiKey: this.getAttribute('api-key') ?? undefined, signal: controller.signal },
      );
      this.setStatus(data.relationshipView.truncated ? 'More nodes lie within this depth than the limit shows.' : '');
      return data.relationshipView;
    } catch (error) {
      if (controller.signal.aborted) return undefined;
      const code = error instanceof GraphqlRequestError ? error.code : 'NETWORK_ERROR';
      this.setStatus((error as Error).message, true);
      this.emit('view-error', { message: (error as Error).message, code });
      return undefined;
    }
  }

  /**
   * Colours and sizes drawn nodes (by community, by a centrality...); nodes not in `byId` keep their kind's colour
   * and the default size. Without an argument, every node gets its kind's colour and the default size again.
   */
  restyle(byId: ReadonlyMap<string, { color?: string; size?: number }> = new Map()): void {
    this.cy?.batch(() => {
      this.cy!.nodes()
        .filter((n) => !n.isParent())
        .forEach((n) => {
          const style = byId.get(n.id());
          n.data('color', style?.color ?? NODE_STYLES[n.data('label') as string]?.color ?? '#555');
          n.data('size', style?.size ?? DEFAULT_NODE_SIZE);
        });
    });
  }

  private merge(graph: ViewGraph, center?: string): void {
    const cy = this.cy!;
    const additions: ElementDefinition[] = [];
    for (const node of graph.nodes) {
      if (cy.$id(node.id).nonempty()) continue;
      additions.push({
        group: 'nodes',
        data: {
          ...node,
          center: node.id === center,
          color: NODE_STYLES[node.label]?.color ?? '#555',
          shape: NODE_STYLES[node.label]?.shape ?? 'ellipse',
          size: DEFAULT_NODE_SIZE,
        },
      });
    }
    const known = new Set([...graph.nodes.map((n) => n.id), ...cy.nodes().map((n) => n.id())]);
    for (const edge of graph.edges) {
      if (cy.$id(`e:${edge.id}`).nonempty() || !known.has(edge.source) || !known.has(edge.target)) continue;
      additions.push({
        group: 'edges',
        data: {
          ...edge,
          id: `e:${edge.id}`,
          edgeId: edge.id,
          color: edgeColor(edge.kind),
          width: Math.min(1.5 + (edge.weight ?? 1) - 1, 9),
        },
      });
    }
    cy.add(additions);
    this.applyKindFilter();
    this.renderKindFilters();
    this.renderLegend();
    this.setAttribute('data-node-count', String(this.nodeCount));
    this.setAttribute('data-edge-count', String(this.edgeCount));
  }

  private createGraph(): void {
    const container = this.root.querySelector<HTMLDivElement>('.canvas')!;
    const bar = this.root.querySelector<HTMLDivElement>('.bar')!;
    new ResizeObserver(() => {
      container.style.setProperty('top', `${bar.offsetHeight}px`);
      this.cy?.resize();
    }).observe(bar);
    this.cy = cytoscape({
      container,
      minZoom: 0.2,
      maxZoom: 4,
      wheelSensitivity: 0.3,
      style: [
        {
          selector: 'node',
          style: {
            'background-color': 'data(color)',
            shape: 'data(shape)' as never,
            label: 'data(name)',
            'font-size': 10,
            'text-valign': 'bottom',
            'text-margin-y': 3,
            'text-wrap': 'ellipsis',
            'text-max-width': '120px',
            width: 'data(size)',
            height: 'data(size)',
          },
        },
        { selector: 'node[?center]', style: { width: 34, height: 34, 'border-width': 3, 'border-color': '#111', 'font-weight': 'bold' } },
        { selector: 'node[?expanded]', style: { 'border-width': 2, 'border-color': '#555' } },
        { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#ffbf00' } },
        {
          selector: ':parent',
          style: {
            'background-color': '#f4efe9',
            'background-opacity': 0.6,
            'border-color': '#c8b8a6',
            'border-width': 1,
            label: 'data(name)',
            'text-valign': 'top',
            'font-size': 12,
            shape: 'round-rectangle',
          },
        },
        {
          selector: 'edge',
          style: {
            'line-color': 'data(color)',
            'target-arrow-color': 'data(color)',
            'target-arrow-shape': 'triangle',
            'arrow-scale': 0.7,
            'curve-style': 'bezier',
            width: 'data(width)',
            opacity: 0.8,
          },
        },
        { selector: '.hidden', style: { display: 'none' } },
      ],
    });
    this.cy.on('tap', 'node', (event: EventObject) => {
      const node = event.target;
      if (node.isParent()) return;
      this.emit('node-select', { id: node.id(), label: node.data('label'), name: node.data('name'), kind: node.data('kind') ?? null });
      if (!node.data('expanded') && this.getAttribute('expand') !== 'off') void this.expand(node.id());
    });
    this.cy.on('mouseover', 'node, edge', (event: EventObject) => this.showTip(event));
    this.cy.on('mouseout', 'node, edge', () => this.hideTip());
    this.cy.on('pan zoom', () => this.hideTip());
    const layout = this.root.querySelector<HTMLSelectElement>('.layout')!;
    layout.value = this.layoutName;
    layout.addEventListener('change', () => this.setAttribute('layout', layout.value));
  }

  private get layoutName(): LayoutName {
    const name = this.getAttribute('layout');
    return name === 'concentric' || name === 'city' ? name : 'force';
  }

  private runLayout(): void {
    const cy = this.cy;
    if (!cy) return;
    const name = this.layoutName;
    this.root.querySelector<HTMLSelectElement>('.layout')!.value = name;
    cy.batch(() => {
      // City layout: one compound box per city; nodes with no known city stay outside.
      cy.nodes()
        .filter((n) => !n.isParent())
        .move({ parent: null });
      cy.nodes(':parent').remove();
      if (name === 'city') {
        const cities = new Set(
          cy
            .nodes()
            .map((n) => n.data('city') as string | null)
            .filter((c): c is string => !!c),
        );
        cy.add([...cities].map((city) => ({ group: 'nodes' as const, data: { id: `city:${city}`, name: city } })));
        cy.nodes()
          .filter((n) => !!n.data('city') && !n.id().startsWith('city:'))
          .forEach((n) => {
            n.move({ parent: `city:${n.data('city')}` });
          });
      }
    });
    const visible = cy.elements().not('.hidden');
    const options: LayoutOptions =
      name === 'concentric'
        ? ({
            name: 'concentric',
            concentric: (n: cytoscape.NodeSingular) => 10 - Number(n.data('distance') ?? 1),
            levelWidth: () => 1,
            animate: false,
            padding: 24,
          } as LayoutOptions)
        : ({
            name: 'cose',
            animate: false,
            padding: 24,
            nodeRepulsion: () => 9000,
            idealEdgeLength: () => 80,
            randomize: true,
            nestingFactor: 0.8,
          } as LayoutOptions);
    const layout = visible.layout(options);
    // A handful of nodes would otherwise be fitted at giant zoom; keep labels at reading size.
    layout.one('layoutstop', () => {
      if (cy.zoom() > 1.4) {
        cy.zoom(1.4);
        cy.center(visible);
      }
    });
    layout.run();
  }

  private renderKindFilters(): void {
    const holder = this.root.querySelector<HTMLDivElement>('.kinds')!;
    const kinds = [...new Set(this.cy!.edges().map((e) => e.data('kind') as string))].sort();
    holder.replaceChildren(
      ...kinds.map((kind) => {
        const label = document.createElement('label');
        const box = document.createElement('input');
        box.type = 'checkbox';
        box.checked = !this.hiddenKinds.has(kind);
        box.dataset.kind = kind;
        box.addEventListener('change', () => {
          if (box.checked) this.hiddenKinds.delete(kind);
          else this.hiddenKinds.add(kind);
          this.applyKindFilter();
        });
        const swatch = document.createElement('b');
        swatch.style.cssText = `display:inline-block;width:12px;height:3px;margin:0 3px 3px;background:${edgeColor(kind)}`;
        label.append(box, swatch, kind.toLowerCase().replace(/_/g, ' '));
        return label;
      }),
    );
  }

  /** Hides edges of unticked kinds, and nodes left with no visible edge (except the centre). */
  private applyKindFilter(): void {
    const cy = this.cy!;
    cy.batch(() => {
      cy.elements().removeClass('hidden');
      if (this.hiddenKinds.size === 0) return;
      cy.edges()
        .filter((e) => this.hiddenKinds.has(e.data('kind')))
        .addClass('hidden');
      cy.nodes()
        .filter((n) => !n.isParent() && !n.data('center') && n.connectedEdges().not('.hidden').empty())
        .addClass('hidden');
    });
    this.setAttribute('data-visible-node-count', String(cy.nodes().not(':parent').not('.hidden').length));
  }

  private renderLegend(): void {
    const labels = [
      ...new Set(
        this.cy!.nodes()
          .not(':parent')
          .map((n) => n.data('label') as string),
      ),
    ];
    const groups = EDGE_GROUPS.filter((g) => this.cy!.edges().some((e) => g.types.includes(e.data('kind'))));
    const legend = this.root.querySelector<HTMLDivElement>('.legend')!;
    legend.innerHTML = '';
    for (const label of labels) legend.append(swatch('i', NODE_STYLES[label]?.color ?? '#555', label));
    for (const group of groups) legend.append(swatch('b', group.color, group.name));
    if (this.cy!.edges().some((e) => edgeColor(e.data('kind')) === OTHER_EDGE_COLOR))
      legend.append(swatch('b', OTHER_EDGE_COLOR, 'Other links'));
  }

  private showTip(event: EventObject): void {
    const tip = this.root.querySelector<HTMLDivElement>('.tip')!;
    const el = event.target;
    if (el.isNode?.() && el.isParent()) return;
    const d = el.data();
    tip.replaceChildren();
    if (el.isNode()) {
      tip.append(line('strong', d.name), line('div', [d.label, d.kind].filter(Boolean).join(' · ')));
      const where = [d.city, d.country].filter(Boolean).join(', ');
      if (where) tip.append(line('div', where));
      if (d.detail) tip.append(line('div', d.detail));
      tip.append(line('small', d.expanded ? 'Expanded' : 'Click to expand'));
    } else {
      const span = [d.since, d.until].filter(Boolean).join(' – ');
      tip.append(line('strong', String(d.kind).toLowerCase().replace(/_/g, ' ')), line('div', [d.role, span].filter(Boolean).join(' · ')));
      for (const source of (d.sources ?? []) as Citation[]) {
        tip.append(line('div', `${source.title}${source.publisher ? ` (${source.publisher})` : ''}`), line('q', source.quote));
      }
    }
    const pos = event.renderedPosition ?? el.renderedPosition?.() ?? { x: 0, y: 0 };
    const top = this.root.querySelector<HTMLDivElement>('.canvas')!.offsetTop;
    tip.style.left = `${Math.min(pos.x + 12, this.clientWidth - 330)}px`;
    tip.style.top = `${pos.y + top + 12}px`;
    tip.style.display = 'block';
  }

  private hideTip(): void {
    this.root.querySelector<HTMLDivElement>('.tip')!.style.display = 'none';
  }

  private setStatus(text: string, error = false): void {
    const status = this.root.querySelector<HTMLDivElement>('.status')!;
    status.textContent = text;
    status.classList.toggle('error', error);
  }

  private emit(name: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }
}

function swatch(tag: 'i' | 'b', color: string, text: string): HTMLSpanElement {
  const span = document.createElement('span');
  const mark = document.createElement(tag);
  mark.style.background = color;
  span.append(mark, text);
  return span;
}

/** Text goes in as text, never as HTML: names and quotes come from outside sources. */
function line(tag: string, text: string): HTMLElement {
  const el = document.createElement(tag);
  el.textContent = text;
  return el;
}

if (!customElements.get('ogp-relationship-view')) customElements.define('ogp-relationship-view', OgpRelationshipView);
