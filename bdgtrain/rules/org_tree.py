"""The organisation tree as plain (id, parent_id) pairs: walking it, finding subtrees, refusing cycles."""
from __future__ import annotations

from collections import defaultdict
from typing import Hashable, Iterable, Sequence, TypeVar

K = TypeVar("K", bound=Hashable)


def children_map(edges: Iterable[tuple[K, K | None]]) -> dict[K | None, list[K]]:
    children: dict[K | None, list[K]] = defaultdict(list)
    for node, parent in edges:
        children[parent].append(node)
    return children


def walk(edges: Sequence[tuple[K, K | None]]) -> list[tuple[K, int]]:
    """Depth-first order with depth, roots first, siblings in the order given.

    A node whose parent is unknown is treated as a root, so a damaged tree still lists every node.
    """
    known = {node for node, _ in edges}
    children = children_map((n, p if p in known else None) for n, p in edges)
    order: list[tuple[K, int]] = []
    stack = [(root, 0) for root in reversed(children[None])]
    seen: set[K] = set()
    while stack:
        node, depth = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        order.append((node, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(node, [])))
    return order


def subtree(edges: Iterable[tuple[K, K | None]], root: K) -> set[K]:
    """`root` and every node below it."""
    children = children_map(edges)
    found, stack = {root}, [root]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def would_create_cycle(edges: Iterable[tuple[K, K | None]], node: K, new_parent: K | None) -> bool:
    """True when making `new_parent` the parent of `node` would put `node` below itself."""
    return new_parent is not None and new_parent in subtree(edges, node)
