#!/usr/bin/env python3
"""Fails when an exported function of the C ABI escapes the panic boundary.

Every `extern "C" fn NAME(...)` in capi/src must have a body that is exactly one `ffi!(...)`
invocation (optionally `ffi!(panic = V, {...})`), and must be `#[unsafe(no_mangle)]`. A function
returning something other than cv2x_result, a pointer or nothing must name its panic value
(`panic = ...`): the default would be CV2X_ERR_PANIC, which is no value of a kind or count.
Prints one line per offence and `N exports checked`; exit 1 on any offence.
"""
import pathlib
import re
import sys

SRC = pathlib.Path(__file__).resolve().parent / "src"
FN = re.compile(r'extern\s+"C"\s+fn\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(')


def matching(text, i, open_c, close_c):
    """Index just past the bracket that closes the one at text[i]."""
    depth = 0
    while i < len(text):
        c = text[i]
        if c == open_c:
            depth += 1
        elif c == close_c:
            depth -= 1
            if depth == 0:
                return i + 1
        elif c == '"':
            i += 1
            while i < len(text) and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif text.startswith("//", i):
            i = text.index("\n", i)
            continue
        i += 1
    raise ValueError("unbalanced")


def main():
    offences, checked = [], 0
    for path in sorted(SRC.rglob("*.rs")):
        text = path.read_text()
        for m in FN.finditer(text):
            name = m.group(1)
            where = f"{path.name}: {name}"
            checked += 1
            head = text[max(0, text.rfind("\n\n", 0, m.start())) : m.start()]
            if "#[unsafe(no_mangle)]" not in head:
                offences.append(f"{where}: not #[unsafe(no_mangle)]")
            args_end = matching(text, m.end() - 1, "(", ")")
            body_start = text.index("{", args_end)
            ret = text[args_end:body_start].strip()
            body_end = matching(text, body_start, "{", "}")
            body = text[body_start + 1 : body_end - 1].strip()
            if not body.startswith("ffi!("):
                offences.append(f"{where}: body is not one ffi!(...) invocation")
                continue
            call_end = matching(body, body.index("("), "(", ")")
            if body[call_end:].strip() not in ("", ";"):
                offences.append(f"{where}: code after the ffi!(...) invocation")
            ret_ty = ret[2:].strip() if ret.startswith("->") else ""
            plain = ret_ty in ("", "cv2x_result") or ret_ty.startswith("*")
            if not plain and not body.startswith("ffi!(panic ="):
                offences.append(f"{where}: returns {ret_ty} without `panic = ...`")
    for o in offences:
        print(o)
    print(f"{checked} exports checked, {len(offences)} outside the panic boundary")
    return 1 if offences or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
