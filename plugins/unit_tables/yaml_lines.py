"""YAML read as plain strings, each mapping remembering its line.

BaseLoader keeps every scalar a string ("no" stays "no", "0203" keeps its zero), so
typing is ours and predictable; the line lets errors point editors at the right row.
"""

import yaml
from content_checks import Problem, not_utf8
from vn_text import source_text

LINE = "__line__"


class _LineLoader(yaml.BaseLoader):
    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        return mapping


class YamlError(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


def load_yaml(text: str):
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - BaseLoader builds no objects
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlError(line, f"YAML không đọc được: {error.problem}") from None


def read_yaml_file(path: str):
    """(data, problems): the data is None when the file cannot be read or parsed."""
    try:
        return load_yaml(source_text(path)), []
    except OSError as error:
        return None, [Problem(path, 1, f"không đọc được tệp: {error.strerror}", "du-lieu-thieu")]
    except UnicodeDecodeError as error:
        return None, [not_utf8(path, error)]
    except YamlError as error:
        return None, [Problem(path, error.line, str(error), "yaml")]
