"""Text out of a PDF, in pure Python, for tests (poppler's pdftotext is not installed here).

Enough of the PDF format for WeasyPrint's output: objects, object streams, Flate-compressed streams,
fonts with ToUnicode CMaps (bfchar and bfrange), and the text operators Tf, Tj, TJ, ', ", Td, TD, T*, ET.
Each text-positioning step starts a new line; a wide gap inside TJ becomes a space.
"""

import re
import zlib

_OBJ = re.compile(rb"(\d+)\s+(\d+)\s+obj\b(.*?)\bendobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\n?endstream", re.S)
_REF = rb"(\d+)\s+\d+\s+R"
# A TJ kerning this much to the left (thousandths of an em) is a word gap, not kerning.
WORD_GAP = 200


def _decoded(body: bytes) -> bytes | None:
    match = _STREAM.search(body)
    if match is None:
        return None
    raw = match.group(1)
    return zlib.decompress(raw) if b"/FlateDecode" in body[: match.start()] else raw


def _objects(data: bytes) -> dict[int, bytes]:
    objects = {int(m.group(1)): m.group(3) for m in _OBJ.finditer(data)}
    for body in list(objects.values()):
        if b"/Type /ObjStm" in body.split(b"stream")[0] or b"/Type/ObjStm" in body.split(b"stream")[0]:
            objects.update(_unpack_object_stream(body))
    return objects


def _unpack_object_stream(body: bytes) -> dict[int, bytes]:
    head = body.split(b"stream")[0]
    count = int(re.search(rb"/N\s+(\d+)", head).group(1))
    first = int(re.search(rb"/First\s+(\d+)", head).group(1))
    content = _decoded(body)
    numbers = [int(n) for n in content[:first].split()]
    pairs = list(zip(numbers[0::2], numbers[1::2]))[:count]
    found = {}
    for n, (num, offset) in enumerate(pairs):
        end = pairs[n + 1][1] if n + 1 < len(pairs) else len(content) - first
        found[num] = content[first + offset: first + end]
    return found


def _cmap(text: bytes) -> tuple[dict[int, str], int]:
    mapping: dict[int, str] = {}
    width = 2
    space = re.search(rb"begincodespacerange\s*<([0-9A-Fa-f]+)>", text)
    if space:
        width = len(space.group(1)) // 2
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be", "replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = int(dst, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(start + offset)
    return mapping, width


def _fonts(objects: dict[int, bytes]) -> dict[bytes, tuple[dict[int, str], int]]:
    """Resource name (e.g. b'f-0-0') -> (code -> text, bytes per code)."""
    by_object = {}
    for num, body in objects.items():
        match = re.search(rb"/ToUnicode\s+" + _REF, body)
        if match:
            stream = _decoded(objects[int(match.group(1))])
            by_object[num] = _cmap(stream or b"")
    names = {}
    for body in objects.values():
        dicts = re.findall(rb"/Font\s*<<(.*?)>>", body, re.S)
        dicts += [objects.get(int(ref), b"") for ref in re.findall(rb"/Font\s+" + _REF, body)]
        for font_dict in dicts:
            for name, ref in re.findall(rb"/([^\s/<>\[\]()]+)\s+" + _REF, font_dict):
                if int(ref) in by_object:
                    names[name] = by_object[int(ref)]
    return names


_TOKEN = re.compile(rb"<([0-9A-Fa-f\s]*)>|\((?:\\.|[^\\)])*\)|\[|\]|/[^\s/<>\[\]()]+|-?\d*\.?\d+|[A-Za-z*'\"]+", re.S)


def _decode(hex_text: bytes, font) -> str:
    mapping, width = font
    raw = bytes.fromhex(re.sub(rb"\s", b"", hex_text).decode())
    codes = [int.from_bytes(raw[i:i + width], "big") for i in range(0, len(raw), width)]
    return "".join(mapping.get(code, "") for code in codes)


def _run(content: bytes, fonts) -> list[str]:
    lines, current, font, operands, in_array = [], [], None, [], None
    for match in _TOKEN.finditer(content):
        token = match.group(0)
        if token == b"[":
            in_array = []
        elif token == b"]":
            operands.append(in_array)
            in_array = None
        elif in_array is not None:
            if token.startswith(b"<") and font:
                in_array.append(_decode(match.group(1), font))
            elif re.fullmatch(rb"-?\d*\.?\d+", token) and float(token) < -WORD_GAP:
                in_array.append(" ")
        elif token.startswith(b"<"):
            operands.append(_decode(match.group(1), font) if font else "")
        elif token == b"Tf":
            font = fonts.get(operands[-2].lstrip(b"/")) if len(operands) >= 2 else None
            operands = []
        elif token in (b"Tj", b"'", b'"'):
            current.append(operands[-1] if operands and isinstance(operands[-1], str) else "")
            operands = []
        elif token == b"TJ":
            current.append("".join(operands[-1]) if operands and isinstance(operands[-1], list) else "")
            operands = []
        elif token in (b"Td", b"TD", b"T*", b"ET", b"Tm"):
            if current:
                lines.append("".join(current))
                current = []
            operands = []
        elif re.fullmatch(rb"[A-Za-z]+", token):
            operands = []
        else:
            operands.append(token)
    if current:
        lines.append("".join(current))
    return lines


def pdf_text(data: bytes) -> str:
    """The text of every page, one drawn run per line."""
    if not data.startswith(b"%PDF-"):
        raise ValueError("not a PDF")
    objects = _objects(data)
    fonts = _fonts(objects)
    lines = []
    for body in objects.values():
        head = body.split(b"stream")[0]
        if b"stream" not in body or b"/Length1" in head or b"/Type /ObjStm" in head or b"/Type /XRef" in head:
            continue
        content = _decoded(body)
        if content and (b" Tj" in content or b"TJ" in content):
            lines.extend(_run(content, fonts))
    return "\n".join(lines)
