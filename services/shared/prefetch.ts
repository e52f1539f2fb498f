import {
  getArgumentValues,
  isAbstractType,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';
import type { NeighbourSpec, NeighbourWindow } from './cypher';
import { selectsTotal } from './page';

/*
 * Reading a node's selected relationships in the statement that reads the node. A subgraph declares which of its
 * fields are "a node's neighbours along one spec" (`Prefetchable`); when a root field or a reference resolver loads an
 * entity, the operation's selection under it says which of those fields will be resolved, with which arguments, and
 * how deep. The entity's statement then reads them too (nested COLLECT subqueries, shared/cypher.ts) and primes the
 * very loaders the field resolvers call, so they answer from memory: one statement per subgraph fetch where a
 * DataLoader alone costs one per nesting level. Resolvers stay as they are; a field the plan missed still loads.
 */

/** A field whose value is one node's neighbours along one spec. */
export interface PrefetchableField {
  spec: NeighbourSpec;
  /** Fields leading from one item of the value to the node at the other end (none: the item is that node). */
  via?: readonly string[];
  /** A paged field: the window its resolver asks the page loader for, from the field's arguments (may throw). */
  window?: (args: Record<string, any>, maxPageSize: number) => NeighbourWindow;
  /** The GraphQL type of the node at the other end, whose own prefetchable fields can be read in the same statement. */
  nodeType?: string;
  /** Its resolver reads only the nodes (a list of networks): the relationships are not read (UNREAD_RELATIONSHIP). */
  lean?: boolean;
  /**
   * Where one item sits in the value (e.g. edges, node) and its fields that read only the node at the other end: a
   * selection of none but those reads the relationships lean. The resolver decides the same with `readsOnlyEnds`.
   */
  item?: ItemEnds;
}

export interface ItemEnds {
  path: readonly string[];
  ends: readonly string[];
}

/** A subgraph's prefetchable fields by GraphQL type name (the types named like the labels they read). */
export type Prefetchable = Readonly<Record<string, Readonly<Record<string, PrefetchableField>>>>;

/** One field to read with its parent: its spec, its window if paged, and what to read with each node it reaches. */
export interface PrefetchTree {
  /** Unique within one statement: names the field's value, its Cypher variables and parameters. */
  key: string;
  spec: NeighbourSpec;
  window?: NeighbourWindow;
  /** Relationships not read (UNREAD_RELATIONSHIP): every selection merged into the tree reads only the nodes. */
  lean?: boolean;
  children: PrefetchTree[];
}

/** Nested relationship reads per statement at most (a deeper selection loads the rest through its loaders). */
const MAX_DEPTH = 3;

/** The fields of `typeName` the operation selects under `info`'s field that `prefetchable` can read with the node. */
export function prefetchPlan(prefetchable: Prefetchable, typeName: string, info: GraphQLResolveInfo, maxPageSize: number): PrefetchTree[] {
  // `_entities` calls each representation's resolver with one info: plan once per field execution and type.
  let byType = plans.get(info.fieldNodes);
  if (!byType) plans.set(info.fieldNodes, (byType = new Map()));
  let plan = byType.get(typeName);
  if (!plan) byType.set(typeName, (plan = planFor(prefetchable, typeName, selectionSets(info), info, 0, { next: 0, maxPageSize })));
  return plan;
}

/** Whether the operation selects `field` of `typeName` directly under `info`'s field (through fragments). */
export function selectsField(info: GraphQLResolveInfo, typeName: string, field: string): boolean {
  const type = info.schema.getType(typeName);
  return isObjectType(type) && fieldsOf(info, selectionSets(info), type).some((node) => node.name.value === field);
}

/**
 * Whether the operation selects the field path `names` under `info`'s field (e.g. edges, node, path), through
 * fragments of any type condition: a "no" is certain, so a resolver may skip reading what it would feed.
 */
export function selectsAlong(info: GraphQLResolveInfo, names: readonly string[]): boolean {
  let sets = selectionSets(info);
  for (const name of names) {
    const fields = fieldsOf(info, sets).filter((node) => node.name.value === name);
    if (fields.length === 0) return false;
    sets = fields.map((f) => f.selectionSet).filter((s): s is SelectionSetNode => s !== undefined);
  }
  return true;
}

const selectionSetsOf = (fieldNodes: readonly FieldNode[]): SelectionSetNode[] =>
  fieldNodes.map((f) => f.selectionSet).filter((s): s is SelectionSetNode => s !== undefined);

const selectionSets = (info: GraphQLResolveInfo): SelectionSetNode[] => selectionSetsOf(info.fieldNodes);

/** Field nodes are collected afresh per execution, so a plan kept by them never outlives its request's variables. */
const plans = new WeakMap<readonly FieldNode[], Map<string, PrefetchTree[]>>();

/** What identifies a neighbour spec in loader and plan keys. */
export const specKey = (spec: NeighbourSpec): string =>
  `${spec.from}:${spec.types.join('|')}:${spec.direction}:${(spec.to ?? []).join('|')}${spec.reference ? ':ref' : ''}`;

/** A stable description of a plan: plans with equal keys read the same Cypher. */
export const planKey = (trees: readonly PrefetchTree[]): string =>
  trees
    .map(
      (t) =>
        `${specKey(t.spec)}${t.lean ? ':lean' : ''}` +
        `${t.window ? `@${t.window.offset}:${t.window.limit}:${t.window.role ?? ''}:${t.window.withTotal ?? true}` : ''}(${planKey(t.children)})`,
    )
    .join(',');

function planFor(
  prefetchable: Prefetchable,
  typeName: string,
  sets: readonly SelectionSetNode[],
  info: GraphQLResolveInfo,
  depth: number,
  counter: { next: number; maxPageSize: number },
): PrefetchTree[] {
  const declared = prefetchable[typeName];
  const type = info.schema.getType(typeName);
  if (!declared || depth >= MAX_DEPTH || !isObjectType(type)) return [];
  // One tree per spec and window: the same field under two aliases, or two fields over one spec, read once.
  const byIdentity = new Map<string, { tree: PrefetchTree; field: PrefetchableField; below: SelectionSetNode[] }>();
  for (const node of fieldsOf(info, sets, type)) {
    const field = declared[node.name.value];
    const definition = type.getFields()[node.name.value];
    if (!field || !definition) continue;
    const lean = field.lean ?? (field.item ? onlyEnds(info, [node], field.item) : false);
    let window: NeighbourWindow | undefined;
    if (field.window) {
      try {
        window = {
          ...field.window(getArgumentValues(definition, node, info.variableValues), counter.maxPageSize),
          withTotal: selectsTotal([node]),
        };
      } catch {
        continue; // arguments the resolver will refuse with its own error
      }
    }
    const tree: PrefetchTree = { key: '', spec: field.spec, window, lean, children: [] };
    // Counted or not, one page is one tree (counted if any selection of it reads the total). Lean or not, too: the
    // resolvers of a merged tree read one loader, so a tree is lean only when every selection merged into it is.
    const identity = planKey([{ ...tree, window: window && { ...window, withTotal: true }, lean: false }]);
    let entry = byIdentity.get(identity);
    if (!entry) {
      entry = { tree, field, below: [] };
      byIdentity.set(identity, entry);
    } else {
      if (entry.tree.window && window?.withTotal) entry.tree.window.withTotal = true;
      if (!lean) entry.tree.lean = false;
    }
    if (node.selectionSet) entry.below.push(...follow(info, [node.selectionSet], field.via ?? []));
  }
  const trees: PrefetchTree[] = [];
  for (const { tree, field, below } of byIdentity.values()) {
    tree.key = `p${counter.next++}`;
    if (field.nodeType && !field.spec.reference) tree.children = planFor(prefetchable, field.nodeType, below, info, depth + 1, counter);
    trees.push(tree);
  }
  return trees;
}

/**
 * Whether the selections `fieldNodes` make of a field read, at `path` within its value, none but the `ends` (and
 * __typename): then the relationships behind the items need none of their properties. A resolver asks it of its own
 * info (`readsOnlyEnds`), the prefetch plan of the field nodes it plans for: the same answer, so they share a loader.
 */
function onlyEnds(info: GraphQLResolveInfo, fieldNodes: readonly FieldNode[], { path, ends }: ItemEnds): boolean {
  const sets = follow(info, selectionSetsOf(fieldNodes), path);
  return fieldsOf(info, sets).every((f) => f.name.value === '__typename' || ends.includes(f.name.value));
}

/** `onlyEnds` for a resolver's own field: read its relationships lean? */
export const readsOnlyEnds = (info: GraphQLResolveInfo, item: ItemEnds): boolean => onlyEnds(info, info.fieldNodes, item);

/** The selection sets reached from `sets` through the fields named by `path` (any type condition). */
function follow(info: GraphQLResolveInfo, sets: SelectionSetNode[], path: readonly string[]): SelectionSetNode[] {
  let current = sets;
  for (const name of path) {
    current = fieldsOf(info, current)
      .filter((f) => f.name.value === name && f.selectionSet)
      .map((f) => f.selectionSet!);
  }
  return current;
}

/** The field nodes in `sets` that apply to `type` (every one when no type is given), through fragments. */
function fieldsOf(info: GraphQLResolveInfo, sets: readonly SelectionSetNode[], type?: GraphQLObjectType): FieldNode[] {
  const applies = (condition: string | undefined): boolean => {
    if (!type || !condition || condition === type.name) return true;
    const named = info.schema.getType(condition);
    return named !== undefined && isAbstractType(named) && info.schema.isSubType(named, type);
  };
  const out: FieldNode[] = [];
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) out.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition?.name.value)) visit(selection.selectionSet);
      } else {
        const fragment = info.fragments[selection.name.value];
        if (fragment && applies(fragment.typeCondition.name.value)) visit(fragment.selectionSet);
      }
    }
  };
  for (const set of sets) visit(set);
  return out;
}
