#!/usr/bin/python3
# Checks that docs/python.md (and docs/element.md) quote only code of the
# tested examples.
#
# Every ```python block of those pages must be found in one file of
# examples/*.py as consecutive lines (indentation may differ as a whole).
# A line holding only "..." in a block stands for lines left out: the
# pieces around it must appear in that order in the same file. Prints
# each block that is not found and exits 1; exits 0 when all are.
#
#   /usr/bin/python3 docs/check-python-guide.py

import pathlib
import re
import sys
import textwrap

ROOT = pathlib.Path(__file__).resolve().parent.parent
GUIDES = [ROOT / "docs" / "python.md", ROOT / "docs" / "element.md"]


def blocks(text):
    """(line number, lines) of each ```python block."""
    for m in re.finditer(r"^```python\n(.*?)^```", text, re.S | re.M):
        yield text.count("\n", 0, m.start()) + 2, m.group(1).splitlines()


def pieces(lines):
    """The runs of lines between "..." lines."""
    piece = []
    for line in lines:
        if line.strip() == "...":
            if piece:
                yield piece
            piece = []
        else:
            piece.append(line)
    if piece:
        yield piece


def find(piece, lines, start):
    """Where piece appears in lines at or after start, or -1."""
    want = textwrap.dedent("\n".join(piece))
    for i in range(start, len(lines) - len(piece) + 1):
        if textwrap.dedent("\n".join(lines[i:i + len(piece)])) == want:
            return i
    return -1


def quoted_from(block, examples):
    for path, lines in examples.items():
        at = 0
        for piece in pieces(block):
            at = find(piece, lines, at)
            if at < 0:
                break
            at += len(piece)
        else:
            return path
    return None


def main():
    examples = {p: p.read_text().splitlines()
                for p in sorted((ROOT / "examples").glob("*.py"))}
    bad = 0
    count = 0
    for guide in GUIDES:
        for line, block in blocks(guide.read_text()):
            count += 1
            if quoted_from(block, examples) is None:
                bad += 1
                print(f"{guide.name}:{line}: this block is in no example:")
                print("\n".join("    " + text for text in block))
    if count == 0:
        print("no python blocks found")
        return 1
    print(f"{count - bad} of {count} python blocks found in examples/")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
