/**
 * What the `yaml` parser accepts but a stack file must not contain, found on the
 * parsed document before it becomes plain data: aliases that expand the document
 * beyond a sane size (a "billion laughs" file), aliases without an anchor, and
 * complex keys (a map or list as a key, which plain data would stringify). Each
 * problem comes with the offset of the node, for a `<file>:<line>:<col>` message.
 */
import {
  isAlias,
  isCollection,
  isPair,
  isScalar,
  visit,
  type Alias,
  type Document,
  type Node,
} from "yaml";

/** Far above any real stack (hundreds of values), far below what hurts memory. */
export const MAX_EXPANDED_VALUES = 100_000;

export interface YamlStructureProblem {
  /** Offset in the file's text of the node at fault. */
  readonly offset: number;
  readonly message: string;
}

export function yamlStructureProblems(document: Document): readonly YamlStructureProblem[] {
  const problems: YamlStructureProblem[] = [];
  visit(document, {
    Pair(_, pair) {
      const key = pair.key;
      if (isCollection(key) || (isAlias(key) && isCollection(key.resolve(document)))) {
        problems.push({
          offset: rangeStart(key),
          message:
            "a map or list as a key (a complex key); config keys are plain text such as name: value",
        });
      }
    },
    Alias(_, alias) {
      if (alias.resolve(document) === undefined) {
        problems.push({
          offset: rangeStart(alias),
          message: `alias *${alias.source} has no anchor &${alias.source} before it`,
        });
      }
    },
  });
  if (problems.length > 0) return problems;
  const expansion = new AliasExpansion(document);
  const size = expansion.sizeOf(document.contents);
  if (expansion.cycle !== undefined) {
    return [
      {
        offset: rangeStart(expansion.cycle),
        message: `alias *${expansion.cycle.source} refers to a node that contains it`,
      },
    ];
  }
  if (size > MAX_EXPANDED_VALUES && expansion.largest !== undefined) {
    return [
      {
        offset: rangeStart(expansion.largest),
        message: `aliases expand the file to more than ${MAX_EXPANDED_VALUES} values (the largest, here, to ${describeSize(expansion.largestSize)}); write the values out or use fewer aliases`,
      },
    ];
  }
  return [];
}

/** Counts the values a document holds once every alias is replaced by what it names. */
class AliasExpansion {
  largest: Node | undefined;
  largestSize = 0;
  cycle: Alias | undefined;
  private readonly sizes = new Map<unknown, number>();
  private readonly inProgress = new Set<unknown>();

  constructor(private readonly document: Document) {}

  sizeOf(node: unknown): number {
    const known = this.sizes.get(node);
    if (known !== undefined) return known;
    if (this.inProgress.has(node)) {
      if (isAlias(node)) this.cycle ??= node;
      return 1;
    }
    this.inProgress.add(node);
    const size = Math.min(this.measure(node), MAX_EXPANDED_VALUES + 1);
    this.inProgress.delete(node);
    this.sizes.set(node, size);
    return size;
  }

  private measure(node: unknown): number {
    if (isAlias(node)) {
      const target = node.resolve(this.document);
      if (this.inProgress.has(target)) {
        this.cycle ??= node;
        return 1;
      }
      const size = this.sizeOf(target);
      if (size > this.largestSize) {
        this.largest = node;
        this.largestSize = size;
      }
      return size;
    }
    if (isCollection(node)) {
      let total = 1;
      for (const item of node.items) {
        total += isPair(item) ? this.sizeOf(item.key) + this.sizeOf(item.value) : this.sizeOf(item);
        if (total > MAX_EXPANDED_VALUES) break;
      }
      return total;
    }
    return isScalar(node) ? 1 : 0;
  }
}

function describeSize(size: number): string {
  return size > MAX_EXPANDED_VALUES ? `more than ${MAX_EXPANDED_VALUES}` : String(size);
}

function rangeStart(node: Node): number {
  return node.range?.[0] ?? 0;
}
