"""The one YAML loader: PyYAML's SafeLoader, bounded, for every YAML file megler reads.

Aliases may repeat what an anchor holds (`regions: *helgeland`), but the document with
every alias written out may be at most MAX_EXPANSION times the size of its file, an
alias may not point into its own anchor, and nothing may nest deeper than MAX_DEPTH.
So a file costs memory and time in proportion to its size (a "billion laughs" file is
refused at the alias that would pass the bound), and no file makes Python recurse
without end. Both are checked while the node tree is composed, before anything is built.

    >>> load("regions: &r [Rana, Vefsn]\\nalso: *r\\n", "x.yaml")
    {'regions': ['Rana', 'Vefsn'], 'also': ['Rana', 'Vefsn']}
"""

from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, SequenceNode

from megler.errors import InvalidInput
from megler.limits import MAX_DEPTH, MAX_EXPANSION


class OutOfBounds(yaml.MarkedYAMLError):
    """A file that would cost more than its size, or nests too deep; `problem` says which."""

    def __init__(self, problem: str, mark):
        super().__init__(problem=problem, problem_mark=mark)
        self.message, self.line = problem, mark.line + 1


class BoundedLoader(yaml.SafeLoader):
    """SafeLoader that weighs each node as it is composed: its characters written out,
    aliases included, one more for the node itself."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._budget = MAX_EXPANSION * max(len(stream), 1)
        self._aliased = 0                 # what all aliases so far add, written out
        self._weights: dict[int, int] = {}  # id(node) → its weight, once composed
        self._depth = 0

    def compose_node(self, parent, index):
        mark = self.peek_event().start_mark
        if self.check_event(AliasEvent):
            return self._alias(super().compose_node(parent, index), mark)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise OutOfBounds(f"nested more than {MAX_DEPTH} levels deep", mark)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        self._weights[id(node)] = self._weight(node)
        return node

    def _weight(self, node: Node) -> int:
        if isinstance(node, MappingNode):
            return 1 + sum(self._weights[id(k)] + self._weights[id(v)] for k, v in node.value)
        if isinstance(node, SequenceNode):
            return 1 + sum(self._weights[id(item)] for item in node.value)
        return 1 + len(node.value)

    def construct_yaml_int(self, node):
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # more digits than Python turns into a number
            raise OutOfBounds("holds a whole number too long to read (more than 4,300 digits)",
                              node.start_mark) from None

    def _alias(self, node: Node, mark) -> Node:
        weight = self._weights.get(id(node))
        if weight is None:  # the anchor is still being composed: a loop
            raise OutOfBounds("an alias inside its own anchor makes a loop", mark)
        self._aliased += weight
        if self._aliased > self._budget:
            raise OutOfBounds(f"its aliases, written out, would make the file more than "
                              f"{MAX_EXPANSION} times its size; write the repeated values "
                              "out, or use fewer aliases", mark)
        return node


BoundedLoader.add_constructor("tag:yaml.org,2002:int", BoundedLoader.construct_yaml_int)


def load(text: str, name: str) -> Any:
    """The one document in `text` (None when empty), or one line naming `name:line`."""
    loader = None
    try:  # the loader refuses control characters as soon as it is made
        loader = BoundedLoader(text)
        return loader.get_single_data()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"{name}:{mark.line + 1}" if mark else name
        what = " ".join(filter(None, [e.context, e.problem])).replace("\n", " ")
        raise InvalidInput(f"{where}: {'' if isinstance(e, OutOfBounds) else 'not valid YAML: '}"
                           f"{what}") from None
    except yaml.YAMLError as e:
        raise InvalidInput(f"{name}: not valid YAML: {str(e).strip().splitlines()[0]}") from None
    finally:
        if loader:
            loader.dispose()
