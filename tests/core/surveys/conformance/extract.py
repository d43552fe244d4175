"""Rebuild ``cases.json`` from the two reference evaluators' own test suites.

    python tests/core/surveys/conformance/extract.py ENKETO_GIT_DIR JAVAROSA_GIT_DIR

Each argument is a git directory (a bare clone or a ``.git`` folder) of
https://github.com/enketo/openrosa-xpath-evaluator and https://github.com/getodk/javarosa; the
cases are read from their ``HEAD``. Enketo's mocha specs are run under Node with
``record_enketo.js``, which replaces the evaluator and chai by recorders, so what is kept is
exactly what each spec asserts (loops and computed expressions included). JavaRosa's
``XPathEvalTest`` and ``XPathParseTest`` are read as Java source.

Only context-free cases are kept: an expression that reads no XML document (no paths, axes,
variables, predicates, context node or zero-argument functions that read the context node),
evaluated with the references' own default evaluation context. See README.md.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "cases.json"

ENKETO_NOW = "2023-11-15T10:30:00.000-07:00"  # the recorder's fixed clock (record_enketo.js)

# Functions whose zero-argument form reads the context node, and functions about nodes.
ENKETO_READS_CONTEXT = frozenset(
    {"string", "number", "string-length", "normalize-space", "name", "local-name", "namespace-uri"}
)
JAVAROSA_READS_CONTEXT = frozenset({"string-length", "normalize-space"})
_NODE_FUNCTIONS = {
    "position",
    "last",
    "current",
    "id",
    "lang",
    "instance",
    "indexed-repeat",
    "node",
    "text",
    "comment",
    "processing-instruction",
    "once",  # keeps the context node's own value when it has one
}
_OPERATOR_WORDS = ("and", "or", "div", "mod")
_TOKEN = re.compile(
    r"""(?P<space>\s+)|(?P<string>"[^"]*"|'[^']*')|(?P<number>\d+(?:\.\d*)?|\.\d+)"""
    r"""|(?P<name>[A-Za-z_][\w.\-]*(?::[A-Za-z_*][\w.\-]*)?)"""
    r"""|(?P<symbol>!=|<=|>=|::|//|\.\.|[-+*=<>()\[\],/@|$.])|(?P<other>.)""",
    re.DOTALL,
)


def context_free(expression: str, reads_context: frozenset[str] = frozenset()) -> bool:
    """True when the expression can be evaluated without an XML document or context node.

    ``reads_context``: the functions whose zero-argument form reads the context node in that
    reference (in JavaRosa ``number()`` and ``string()`` are errors whatever the context).
    """
    tokens = [(m.lastgroup, m.group()) for m in _TOKEN.finditer(expression)]
    tokens = [(kind, text) for kind, text in tokens if kind != "space"]
    operand_before = False  # whether the previous token ends an operand
    for index, (kind, text) in enumerate(tokens):
        following = tokens[index + 1][1] if index + 1 < len(tokens) else ""
        after_that = tokens[index + 2][1] if index + 2 < len(tokens) else ""
        if kind == "symbol" and text in {"/", "//", "@", "[", "]", "|", "::", "..", "$", "."}:
            return False
        if kind == "symbol" and text == "*" and not operand_before:
            return False  # a wildcard node test, not multiplication
        if kind == "name":
            if operand_before:
                # In operator position a name is an operator, maybe glued to what follows
                # ("1div1", "4andfunc()"), or a syntax error whatever the document holds.
                word = next((w for w in _OPERATOR_WORDS if text.startswith(w)), None)
                rest = text[len(word) :] if word is not None else ""
                if word is None or re.fullmatch(r"\d+(?:\.\d*)?", rest):
                    operand_before = True
                elif not rest or (following == "(" and rest not in _NODE_FUNCTIONS):
                    operand_before = False
                else:
                    return False  # an operator glued to a node test: "6andpath"
                continue
            if following != "(":
                return False  # a node test such as "name" or "child"
            if text in _NODE_FUNCTIONS or (text in reads_context and after_that == ")"):
                return False
            operand_before = False
            continue
        operand_before = kind in ("string", "number") or (kind == "symbol" and text == ")")
    return True


# ---------------------------------------------------------------- Enketo


def enketo_cases(git_dir: Path) -> tuple[str, list[dict[str, Any]]]:
    commit = _git(git_dir, "rev-parse", "HEAD").strip()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        archive = subprocess.run(
            ["git", f"--git-dir={git_dir}", "archive", "HEAD", "test", "src"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "x", "-C", str(root)], input=archive, check=True)
        specs = sorted(
            str(path.relative_to(root))
            for path in (root / "test" / "integration").rglob("*.spec.js")
            # axis.spec.js walks a DOM in loops (every case in it needs a document), and
            # custom.spec.js tests Enketo's API for adding functions of one's own.
            if path.name not in ("axis.spec.js", "custom.spec.js")
        )
        recorded = subprocess.run(
            ["node", str(HERE / "record_enketo.js"), str(root), *specs],
            check=True,
            capture_output=True,
            text=True,
            env={"TZ": "America/Phoenix", "PATH": "/usr/bin:/bin:/usr/local/bin"},
        ).stdout
        sources = {spec: (root / spec).read_text(encoding="utf-8") for spec in specs}
    cases: list[dict[str, Any]] = []
    for line in recorded.splitlines():
        row = json.loads(line)
        case = _enketo_case(row, sources)
        if case is not None and case not in cases:
            cases.append(case)
    return commit, cases


def _enketo_case(row: dict[str, Any], sources: dict[str, str]) -> dict[str, Any] | None:
    expression = row.get("expr")
    if not isinstance(expression, str) or not context_free(expression, ENKETO_READS_CONTEXT):
        return None
    kind = str(row["kind"])
    rtype = row.get("rtype")
    expected = row.get("expected") or {}
    case: dict[str, Any] = {"ref": "enketo", "source": row["file"]}
    case["line"] = _source_line(sources[row["file"]], expression, row.get("line"))
    case["expression"] = expression
    if kind == "throws":
        case["expect"] = "error"
        return case
    marker = kind.split(":", 1)
    if len(marker) == 2:  # a direct evaluate(...) whose result a chai assertion checks
        assertion, accessor = marker
        if assertion not in ("equal", "match", "ok"):
            return None
        if assertion == "match":
            kind = "match"
        elif accessor == "number":
            kind = "number" if rtype == 1 else "number-any"
        elif accessor == "string":
            kind = "string"
        elif accessor == "string.length":
            kind = "string-length"
        elif accessor == "boolean":
            kind = "boolean"
        else:
            return None
    if kind not in (
        "number",
        "number-any",
        "number-rounded",
        "string",
        "string-length",
        "boolean",
        "match",
    ):
        return None
    case["expect"] = kind
    if kind == "match":
        case["value"] = expected["regex"]
        return case
    if kind == "number-rounded":
        case["factor"] = row["factor"]
    value = _decode(expected)
    if kind.startswith("number") and isinstance(value, str):
        value = _as_number(value)  # chai's assert.equal compares '23.78' == 23.78
    if kind == "string" and not isinstance(value, str):
        value = _js_string(value)
    case["value"] = value
    return case


def _decode(encoded: dict[str, Any]) -> Any:
    if "number" in encoded:
        return encoded["number"]
    for key in ("string", "boolean"):
        if key in encoded:
            return encoded[key]
    return None


def _as_number(text: str) -> float | str:
    try:
        number = float(text)
    except ValueError:
        return "NaN"
    return number


def _js_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else repr(value)
    return str(value)


def _source_line(source: str, expression: str, fallback: int | None) -> int:
    """The line where the expression is written as a literal (else where it was asserted)."""
    for quote in ("'", '"', "`"):
        escaped = expression.replace("\\", "\\\\").replace(quote, "\\" + quote)
        for text in (expression, escaped):
            line = _nearest_line(source, quote + text + quote, fallback)
            if line is not None:
                return line
    return _nearest_line(source, expression, fallback) or int(fallback or 0)


def _nearest_line(source: str, text: str, fallback: int | None) -> int | None:
    lines = [source.count("\n", 0, m.start()) + 1 for m in re.finditer(re.escape(text), source)]
    if not lines:
        return None
    before = [line for line in lines if fallback is None or line <= fallback]
    return before[-1] if before else lines[0]


# ---------------------------------------------------------------- JavaRosa

_EVAL_TEST = "src/test/java/org/javarosa/xpath/test/XPathEvalTest.java"
_PARSE_TEST = "src/test/java/org/javarosa/xpath/test/XPathParseTest.java"
_JAVA_TOKEN = re.compile(
    r'(?P<string>"(?:\\.|[^"\\])*")|(?P<space>\s+)|(?P<comment>//[^\n]*)'
    r"|(?P<word>[A-Za-z_][\w.]*)|(?P<number>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)"
    r"|(?P<symbol>.)",
    re.DOTALL,
)
_JAVA_CONSTANTS = {
    "TRUE": True,
    "FALSE": False,
    "true": True,
    "false": False,
    "NaN": "NaN",
    "POSITIVE_INFINITY": "Infinity",
    "NEGATIVE_INFINITY": "-Infinity",
    "Math.PI": math.pi,
    "Math.E": math.e,
}


def javarosa_cases(git_dir: Path) -> tuple[str, list[dict[str, Any]]]:
    commit = _git(git_dir, "rev-parse", "HEAD").strip()
    cases = _eval_cases(_git(git_dir, "show", f"HEAD:{_EVAL_TEST}"))
    cases += _parse_cases(_git(git_dir, "show", f"HEAD:{_PARSE_TEST}"))
    return commit, cases


def _eval_cases(source: str) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for match in re.finditer(r"(?<![\w.])testEval\(", source):
        line_start = source.rfind("\n", 0, match.start()) + 1
        if "//" in source[line_start : match.start()]:
            continue  # a call commented out in the test ("//broken testEval(...)")
        if re.search(r"void\s+$", source[: match.start()]):
            continue  # the helper's own definition
        arguments = _java_arguments(source, match.end())
        if len(arguments) != 2:
            continue  # a FormInstance or custom function handlers: not context-free
        expression = _java_value(arguments[0])
        if not isinstance(expression, str):
            continue
        if not context_free(expression, JAVAROSA_READS_CONTEXT):
            continue
        case: dict[str, Any] = {"ref": "javarosa", "source": _EVAL_TEST}
        case["line"] = source.count("\n", 0, match.start()) + 1
        case["expression"] = expression
        case.update(_java_expected(arguments[1]))
        cases.append(case)
    return cases


def _parse_cases(source: str) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    start = source.index("parseTestCases = {")
    for match in re.finditer(r"\{\s*(\"(?:\\.|[^\"\\])*\")\s*,\s*(null|\")", source[start:]):
        expression = _java_value(match.group(1))
        if not isinstance(expression, str):
            continue
        if not context_free(expression, JAVAROSA_READS_CONTEXT):
            continue
        if not expression.strip():
            continue  # XPath's empty expression; a form never has one (an empty cell is no rule)
        case: dict[str, Any] = {"ref": "javarosa", "source": _PARSE_TEST}
        case["line"] = source.count("\n", 0, start + match.start()) + 1
        case["expression"] = expression
        case["expect"] = "error" if match.group(2) == "null" else "parses"
        cases.append(case)
    return cases


def _java_arguments(source: str, position: int) -> list[str]:
    """The top-level arguments of the call whose "(" ends just before ``position``."""
    depth = 0
    current: list[str] = []
    arguments: list[str] = []
    for match in _JAVA_TOKEN.finditer(source, position):
        kind, text = match.lastgroup, match.group()
        if kind == "comment":
            continue
        if kind == "symbol" and text == "(":
            depth += 1
        elif kind == "symbol" and text == ")":
            if depth == 0:
                arguments.append("".join(current).strip())
                return arguments
            depth -= 1
        elif kind == "symbol" and text == "," and depth == 0:
            arguments.append("".join(current).strip())
            current = []
            continue
        current.append(text)
    raise ValueError("unclosed call")


def _java_value(text: str) -> Any:
    """A Java argument: string concatenation, a number, a constant or simple Math."""
    parts = _split_plus(text)
    if len(parts) > 1:
        return "".join(_java_string_part(part) for part in parts)
    text = text.strip()
    if text.startswith('"'):
        return json.loads(text.replace("\\'", "'"))
    if text in _JAVA_CONSTANTS:
        return _JAVA_CONSTANTS[text]
    if text in ("-NaN",):
        return "NaN"
    python = text.replace("Math.PI", "math.pi").replace("Math.E", "math.e")
    python = python.replace("Math.exp", "math.exp")
    if not re.fullmatch(r"[-+*/() .\deEmathpixpon]+", python):
        raise ValueError(f"not a value: {text}")
    return float(eval(python, {"math": math}))  # noqa: S307 - only digits and math.*


def _split_plus(text: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for match in _JAVA_TOKEN.finditer(text):
        token = match.group()
        if token == "(":
            depth += 1
        elif token == ")":
            depth -= 1
        if token == "+" and depth == 0 and current and "".join(current).strip():
            parts.append("".join(current))
            current = []
            continue
        current.append(token)
    parts.append("".join(current))
    return parts


def _java_string_part(part: str) -> str:
    part = part.strip()
    if part.startswith("(") and part.endswith(")"):
        part = part[1:-1]
    value = _java_value(part)
    if isinstance(value, str):
        return value
    return _java_double(float(value))


def _java_double(number: float) -> str:
    """Java's Double.toString for the values the tests concatenate."""
    if 1e-3 <= abs(number) < 1e7:
        text = repr(number)
        return text if "." in text else text + ".0"
    mantissa, exponent = f"{number:.17e}".split("e")
    return f"{float(mantissa)!r}E{int(exponent)}"


def _java_expected(text: str) -> dict[str, Any]:
    text = text.strip()
    if text.startswith("new ") and text.endswith("Exception()"):
        return {"expect": "error"}
    date = re.fullmatch(r"DateUtils\.getDate\((\d+),\s*(\d+),\s*(\d+)\)", text)
    if date:
        year, month, day = (int(g) for g in date.groups())
        return {"expect": "date", "value": f"{year:04d}-{month:02d}-{day:02d}"}
    moment = re.fullmatch(r'DateUtils\.getDateTimeFromString\("([^"]+)"\)', text)
    if moment:
        return {"expect": "datetime", "value": moment.group(1)}
    value = _java_value(text)
    if isinstance(value, bool):
        return {"expect": "boolean", "value": value}
    if text.startswith('"'):
        return {"expect": "string", "value": value}
    if isinstance(value, float):
        if value == 0 and math.copysign(1, value) < 0:
            return {"expect": "number", "value": "-0"}
        return {"expect": "number", "value": value}
    return {"expect": "number", "value": value}  # NaN, Infinity, -Infinity


# ---------------------------------------------------------------- output


def _git(git_dir: Path, *arguments: str) -> str:
    return subprocess.run(
        ["git", f"--git-dir={git_dir}", *arguments], check=True, capture_output=True, text=True
    ).stdout


def write(enketo: tuple[str, list[dict[str, Any]]], javarosa: tuple[str, list[dict[str, Any]]]):
    references = {
        "enketo": {
            "repository": "https://github.com/enketo/openrosa-xpath-evaluator",
            "commit": enketo[0],
            "licence": "Apache-2.0",
            "time_zone": "America/Phoenix",
            "utc_offset": "-07:00",
            "now": ENKETO_NOW,
        },
        "javarosa": {
            "repository": "https://github.com/getodk/javarosa",
            "commit": javarosa[0],
            "licence": "Apache-2.0",
            "time_zone": "UTC",
            "utc_offset": "+00:00",
        },
    }
    lines = ["{", f'"references": {json.dumps(references)},', '"cases": [']
    cases = enketo[1] + javarosa[1]
    for index, case in enumerate(cases):
        comma = "," if index < len(cases) - 1 else ""
        lines.append(json.dumps(case, ensure_ascii=False, separators=(",", ":")) + comma)
    lines += ["]", "}"]
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(enketo[1])} Enketo and {len(javarosa[1])} JavaRosa cases -> {OUTPUT}")


def main(arguments: list[str]) -> None:
    enketo_dir, javarosa_dir = (Path(a) for a in arguments)
    write(enketo_cases(enketo_dir), javarosa_cases(javarosa_dir))


if __name__ == "__main__":
    main(sys.argv[1:])
