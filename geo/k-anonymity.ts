/**
 * k-anonymity for counts on a map (物业纠纷调解 cases and the like): a place's count is shown only
 * when it is at least k (5), otherwise merged into the next level up (building → compound → grid
 * → community → subdistrict → district → the reader's scope), and no hidden count can be recovered
 * by subtracting shown numbers.
 *
 * The rules, on a tree whose nodes carry `own` (records placed at the node itself, in no child):
 * 1. A node's total is its own records plus its children's totals.
 * 2. The root is shown when its total is at least k; a hidden node hides its whole subtree.
 * 3. Under a shown node, a child is shown when its total is at least k. The node's `rest` (its own
 *    records plus its hidden children's) is published too, so that `count − Σ shown children` is a
 *    number the reader already has. When 0 < rest < k, the smallest shown children are hidden as
 *    well (complementary suppression), one at a time, until rest ≥ k; with every child hidden, rest
 *    is the node's own total, which is ≥ k because the node is shown.
 * So every number published (a count or a rest) is 0 or ≥ k, and each equals a sum of hidden
 * numbers only in groups that are themselves ≥ k. A place with no records shows nothing, like a
 * place under k: the map cannot tell "none" from "a few".
 *
 * @example
 * const r = kAnonymize([
 *   { id: 'c', parent: null, own: 0 },
 *   { id: 'b1', parent: 'c', own: 4 },
 *   { id: 'b2', parent: 'c', own: 6 },
 * ]);
 * r.get('c');  // { total: 10, count: 10, rest: 10 }: b2 alone would leave rest 4, so it is hidden
 * r.get('b2'); // { total: 6, count: null, rest: null }
 */

export const K_ANONYMITY = 5;

export interface KNode<Id extends string | number = string> {
  id: Id;
  /** The node's parent, or null for the root (the reader's whole scope). */
  parent: Id | null;
  /** Records placed at this node and in none of its children. */
  own: number;
}

export interface KResult {
  /** The node's true total: never published, for tests and the caller's own checks. */
  total: number;
  /** The published count, or null when the node is merged into its parent. */
  count: number | null;
  /** Records under a shown node that no shown child carries (0 or ≥ k); null when hidden. */
  rest: number | null;
}

export function kAnonymize<Id extends string | number>(
  nodes: readonly KNode<Id>[],
  k = K_ANONYMITY,
): Map<Id, KResult> {
  const children = new Map<Id | null, Id[]>();
  const own = new Map<Id, number>();
  for (const n of nodes) {
    own.set(n.id, (own.get(n.id) ?? 0) + n.own);
    if (!children.has(n.parent)) children.set(n.parent, []);
    children.get(n.parent)!.push(n.id);
  }
  const total = new Map<Id, number>();
  const sum = (id: Id): number => {
    const seen = total.get(id);
    if (seen !== undefined) return seen;
    let t = own.get(id) ?? 0;
    for (const c of children.get(id) ?? []) t += sum(c);
    total.set(id, t);
    return t;
  };
  const out = new Map<Id, KResult>();
  const hide = (id: Id) => {
    out.set(id, { total: sum(id), count: null, rest: null });
    for (const c of children.get(id) ?? []) hide(c);
  };
  const show = (id: Id) => {
    const kids = [...(children.get(id) ?? [])];
    const shown = kids
      .filter((c) => sum(c) >= k)
      .sort((a, b) => sum(a) - sum(b) || String(a).localeCompare(String(b)));
    let rest = sum(id) - shown.reduce((s, c) => s + sum(c), 0);
    while (rest > 0 && rest < k && shown.length > 0) rest += sum(shown.shift()!);
    out.set(id, { total: sum(id), count: sum(id), rest });
    const visible = new Set(shown);
    for (const c of kids) {
      if (visible.has(c)) show(c);
      else hide(c);
    }
  };
  for (const root of children.get(null) ?? []) {
    if (sum(root) >= k) show(root);
    else hide(root);
  }
  return out;
}
