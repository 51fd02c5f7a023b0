"""Assertion rewriting: test modules and conftest files are compiled with
every ``assert`` expanded, so that a failure explains itself
(``assert 3 == 4`` / ``+  where 3 = add(1, 2)``), as pytest does.

Rewritten code is compiled in memory only; nothing is cached on disk.
"""

from __future__ import annotations

import ast
import itertools
import types
from typing import Any

from . import assertutil
from .saferepr import saferepr

HELPERS = "@fastest_ar"
BUILTINS = "@py_builtins"

_UNARY = {ast.Not: "not %s", ast.Invert: "~%s", ast.USub: "-%s", ast.UAdd: "+%s"}
_SYMBOLS = {
    ast.BitOr: "|", ast.BitXor: "^", ast.BitAnd: "&", ast.LShift: "<<", ast.RShift: ">>",
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
    ast.Mod: "%%", ast.Pow: "**", ast.MatMult: "@",
    ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
    ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in",
}


# -- helpers called by rewritten code (module attribute access is the ABI) ----------

def _saferepr(obj: object) -> str:
    if isinstance(obj, types.MethodType):
        return obj.__name__
    maxsize = None if assertutil.state["verbosity"] >= 2 else 240
    return saferepr(obj, maxsize=maxsize).replace("\n", "\\n")


def _format_assertmsg(obj: object) -> str:
    if isinstance(obj, str):
        text = obj.replace("\n", "\n~").replace("%", "%%")
    else:
        maxsize = None if assertutil.state["verbosity"] >= 2 else 240
        text = saferepr(obj, maxsize).replace("\n", "\n~").replace("%", "%%").replace("\\n", "\n~")
    return text


def _should_repr_global_name(obj: object) -> bool:
    if callable(obj):
        return getattr(obj, "_fastest_fixture", None) is not None
    try:
        return not hasattr(obj, "__name__")
    except Exception:  # noqa: BLE001
        return True


def _name_repr(value: object, name: str, frame_locals: dict) -> str:
    if name in frame_locals or _should_repr_global_name(value):
        return _saferepr(value)
    return name


def _format_boolop(explanations: list[str], is_or: int) -> str:
    text = "(" + (" or " if is_or else " and ").join(explanations) + ")"
    return text.replace("%", "%%")


def _call_reprcompare(ops: tuple, results: tuple, expls: tuple, each_obj: tuple) -> str:
    index = 0
    for index, result in enumerate(results):
        try:
            done = not result
        except Exception:  # noqa: BLE001
            done = True
        if done:
            break
    custom = assertutil.reprcompare_for_rewrite(ops[index], each_obj[index], each_obj[index + 1])
    return expls[index] if custom is None else custom


_format_explanation = assertutil.format_explanation


# -- the AST transformation --------------------------------------------------------

class _AssertRewriter:
    """Rewrites one ``assert`` statement into plain statements."""

    def __init__(self) -> None:
        self._counter = itertools.count()

    def rewrite(self, node: ast.Assert) -> list[ast.stmt]:
        self.statements: list[ast.stmt] = []
        self.variables: list[str] = []
        self.on_failure: list[ast.stmt] = []
        self.contexts: list[dict[str, ast.expr]] = []
        self.loc = {"lineno": node.lineno, "col_offset": node.col_offset,
                    "end_lineno": node.end_lineno, "end_col_offset": node.end_col_offset}
        self.push_context()
        top, explanation = self.visit(node.test)
        if node.msg is not None:
            prefix: ast.expr = self.helper("_format_assertmsg", node.msg)
            explanation = "\n>assert " + explanation
        else:
            prefix = self._n(ast.Constant, "")
            explanation = "assert " + explanation
        template = self._n(ast.BinOp, prefix, ast.Add(), self._n(ast.Constant, explanation))
        message = self.pop_context(template)
        formatted = self.helper("_format_explanation", message)
        error = self._n(ast.Call, self._n(ast.Name, "AssertionError", ast.Load()), [formatted], [])
        self.on_failure.append(self._n(ast.Raise, error, None))
        self.statements.append(self._n(ast.If, self._n(ast.UnaryOp, ast.Not(), top), self.on_failure, []))
        if self.variables:
            targets = [self._n(ast.Name, name, ast.Store()) for name in self.variables]
            self.statements.append(self._n(ast.Assign, targets, self._n(ast.Constant, None)))
        return self.statements

    def _n(self, cls: type, *args: Any) -> Any:
        """A new node placed at the assert (compile needs a position on every node)."""
        return cls(*args, **self.loc)

    # -- building blocks
    def variable(self) -> str:
        name = "@py_assert" + str(next(self._counter))
        self.variables.append(name)
        return name

    def assign(self, expr: ast.expr) -> ast.Name:
        name = self.variable()
        self.statements.append(self._n(ast.Assign, [self._n(ast.Name, name, ast.Store())], expr))
        return self._n(ast.Name, name, ast.Load())

    def helper(self, name: str, *args: ast.expr) -> ast.expr:
        func = self._n(ast.Attribute, self._n(ast.Name, HELPERS, ast.Load()), name, ast.Load())
        return self._n(ast.Call, func, list(args), [])

    def builtin(self, name: str) -> ast.expr:
        return self._n(ast.Attribute, self._n(ast.Name, BUILTINS, ast.Load()), name, ast.Load())

    def display(self, expr: ast.expr) -> ast.expr:
        return self.helper("_saferepr", expr)

    def param(self, expr: ast.expr) -> str:
        key = "py" + str(next(self._counter))
        self.contexts[-1][key] = expr
        return "%(" + key + ")s"

    def push_context(self) -> None:
        self.contexts.append({})

    def pop_context(self, template: ast.expr) -> ast.Name:
        current = self.contexts.pop()
        mapping = self._n(ast.Dict, [self._n(ast.Constant, k) for k in current], list(current.values()))
        name = "@py_format" + str(next(self._counter))
        self.on_failure.append(self._n(ast.Assign, [self._n(ast.Name, name, ast.Store())],
                                          self._n(ast.BinOp, template, ast.Mod(), mapping)))
        return self._n(ast.Name, name, ast.Load())

    # -- visitors: each returns (expression for the value, explanation)
    def visit(self, node: ast.expr) -> tuple[ast.expr, str]:
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            return self.generic(node)
        return method(node)

    def generic(self, node: ast.expr) -> tuple[ast.expr, str]:
        result = self.assign(node)
        return result, self.param(self.display(result))

    def visit_Name(self, node: ast.Name) -> tuple[ast.expr, str]:
        # One helper call (made only on failure) decides between repr and name.
        shown = self.helper("_name_repr", node, self._n(ast.Constant, node.id),
                            self._n(ast.Call, self.builtin("locals"), [], []))
        return node, self.param(shown)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> tuple[ast.expr, str]:
        operand, expl = self.visit(node.operand)
        result = self.assign(self._n(ast.UnaryOp, node.op, operand))
        return result, _UNARY[type(node.op)] % (expl,)

    def visit_BinOp(self, node: ast.BinOp) -> tuple[ast.expr, str]:
        left, left_expl = self.visit(node.left)
        right, right_expl = self.visit(node.right)
        result = self.assign(self._n(ast.BinOp, left, node.op, right))
        return result, f"({left_expl} {_SYMBOLS[type(node.op)]} {right_expl})"

    def visit_Starred(self, node: ast.Starred) -> tuple[ast.expr, str]:
        value, expl = self.visit(node.value)
        return self._n(ast.Starred, value, node.ctx), "*" + expl

    def visit_Call(self, node: ast.Call) -> tuple[ast.expr, str]:
        func, func_expl = self.visit(node.func)
        args, arg_expls = [], []
        for arg in node.args:
            value, expl = self.visit(arg)
            args.append(value)
            arg_expls.append(expl)
        keywords = []
        for kw in node.keywords:
            value, expl = self.visit(kw.value)
            keywords.append(self._n(ast.keyword, kw.arg, value))
            arg_expls.append(f"{kw.arg}={expl}" if kw.arg else "**" + expl)
        result = self.assign(self._n(ast.Call, func, args, keywords))
        shown = self.param(self.display(result))
        return result, f"{shown}\n{{{shown} = {func_expl}({', '.join(arg_expls)})\n}}"

    def visit_Attribute(self, node: ast.Attribute) -> tuple[ast.expr, str]:
        if not isinstance(node.ctx, ast.Load):
            return self.generic(node)
        value, value_expl = self.visit(node.value)
        result = self.assign(self._n(ast.Attribute, value, node.attr, ast.Load()))
        shown = self.param(self.display(result))
        return result, f"{shown}\n{{{shown} = {value_expl}.{node.attr}\n}}"

    def visit_BoolOp(self, node: ast.BoolOp) -> tuple[ast.expr, str]:
        result_name = self.variable()
        expl_list = self.assign(self._n(ast.List, [], ast.Load()))
        append = self._n(ast.Attribute, expl_list, "append", ast.Load())
        is_or = isinstance(node.op, ast.Or)
        saved_statements, saved_failure = self.statements, self.on_failure
        body = self.statements
        last = len(node.values) - 1
        cond: ast.expr | None = None
        self.push_context()
        for i, value in enumerate(node.values):
            if i:
                # Explanations of later operands exist only if they were evaluated.
                inner_failure: list[ast.stmt] = []
                self.on_failure.append(self._n(ast.If, cond, inner_failure, []))
                self.on_failure = inner_failure
            self.push_context()
            res, expl = self.visit(value)
            body.append(self._n(ast.Assign, [self._n(ast.Name, result_name, ast.Store())], res))
            formatted = self.pop_context(self._n(ast.Constant, expl))
            self.on_failure.append(self._n(ast.Expr, self._n(ast.Call, append, [formatted], [])))
            if i < last:
                cond = res if not is_or else self._n(ast.UnaryOp, ast.Not(), res)
                inner: list[ast.stmt] = []
                self.statements.append(self._n(ast.If, cond, inner, []))
                self.statements = body = inner
        self.statements, self.on_failure = saved_statements, saved_failure
        template = self.helper("_format_boolop", expl_list, self._n(ast.Constant, int(is_or)))
        return self._n(ast.Name, result_name, ast.Load()), self.param(self.pop_context(template))

    def visit_Compare(self, node: ast.Compare) -> tuple[ast.expr, str]:
        self.push_context()
        left, left_expl = self.visit(node.left)
        if isinstance(node.left, (ast.Compare, ast.BoolOp)):
            left_expl = f"({left_expl})"
        names = [self.variable() for _ in node.ops]
        symbols, expls, operands = [], [], [left]
        for i, (op, comparator) in enumerate(zip(node.ops, node.comparators)):
            right, right_expl = self.visit(comparator)
            if isinstance(comparator, (ast.Compare, ast.BoolOp)):
                right_expl = f"({right_expl})"
            operands.append(right)
            symbol = _SYMBOLS[type(op)]
            symbols.append(self._n(ast.Constant, symbol))
            expls.append(self._n(ast.Constant, f"{left_expl} {symbol} {right_expl}"))
            self.statements.append(self._n(ast.Assign, [self._n(ast.Name, names[i], ast.Store())],
                                              self._n(ast.Compare, left, [op], [right])))
            left, left_expl = right, right_expl
        loads = [self._n(ast.Name, n, ast.Load()) for n in names]
        call = self.helper("_call_reprcompare", self._n(ast.Tuple, symbols, ast.Load()),
                           self._n(ast.Tuple, loads, ast.Load()), self._n(ast.Tuple, expls, ast.Load()),
                           self._n(ast.Tuple, operands, ast.Load()))
        result: ast.expr = self._n(ast.BoolOp, ast.And(), loads) if len(names) > 1 else loads[0]
        return result, self.param(self.pop_context(call))


def _is_docstring(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)


def rewrite_module(tree: ast.Module) -> None:
    """Rewrite every assert in ``tree`` in place (unless the docstring opts out)."""
    body = tree.body
    if body and _is_docstring(body[0]) and "PYTEST_DONT_REWRITE" in body[0].value.value:
        return
    insert_at = 0
    lineno = 1
    for i, stmt in enumerate(body):
        if i == 0 and _is_docstring(stmt):
            insert_at = 1
            continue
        if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__":
            insert_at = i + 1
            continue
        lineno = stmt.lineno
        break
    else:
        if body:
            lineno = body[-1].lineno
    imports = [
        ast.Import([ast.alias("builtins", BUILTINS)]),
        ast.Import([ast.alias("fastest_harness.rewrite", HELPERS)]),
    ]
    for imp in imports:
        imp.lineno = imp.end_lineno = lineno
        imp.col_offset = imp.end_col_offset = 0
        for alias in imp.names:
            ast.copy_location(alias, imp)
    body[insert_at:insert_at] = imports
    rewriter = _AssertRewriter()
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        for field, value in ast.iter_fields(node):
            if isinstance(value, list):
                changed = False
                new: list[Any] = []
                for child in value:
                    if isinstance(child, ast.Assert):
                        new.extend(rewriter.rewrite(child))
                        changed = True
                    else:
                        new.append(child)
                        if isinstance(child, ast.AST):
                            pending.append(child)
                if changed:
                    setattr(node, field, new)
            elif isinstance(value, ast.AST):
                pending.append(value)
