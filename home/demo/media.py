"""Generated media for the demo: cover pictures (Pillow), spreadsheets (openpyxl) and PDFs.

Pictures are drawn scenes with an ASCII caption so no CJK font is needed. PDFs are written
by hand and use the PDF viewer's built-in Chinese font STSong-Light (Adobe-GB1), so Chinese
text shows without embedding a font file.
"""

import io
import math
import zlib

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 675

# key: (image title, file name, caption, sky top colour, sky bottom colour, scene)
COVERS = {
    "hall": ("示例图片·县行政中心", "demo-county-hall.jpg", "Qingshan County Hall", "#1d4e89", "#9cc3e6", "buildings"),
    "drill": ("示例图片·应急演练", "demo-safety-drill.jpg", "Safety Inspection", "#5b2c1a", "#e8a15c", "drill"),
    "market": ("示例图片·商贸街区", "demo-market-street.jpg", "Business District", "#3b1f5c", "#f0b47a", "buildings"),
    "festival": ("示例图片·招聘会现场", "demo-job-fair.jpg", "Job Fair", "#7a1f2b", "#f3c35a", "festival"),
    "forest": ("示例图片·林区防火", "demo-forest.jpg", "Forest Fire Prevention", "#0f3d2e", "#8fc79a", "forest"),
    "fields": ("示例图片·高标准农田", "demo-farmland.jpg", "High-standard Farmland", "#2f6fb0", "#d8ecf7", "fields"),
    "tea": ("示例图片·青石茶园", "demo-tea-hills.jpg", "Qingshi Tea Hills", "#2c6e8f", "#d6f0e0", "hills"),
    "river": ("示例图片·青溪河", "demo-river.jpg", "Qingxi River", "#24507a", "#bfe0f2", "river"),
    "town": ("示例图片·城关镇社区", "demo-community.jpg", "Chengguan Community", "#425b8a", "#f5d7a8", "buildings"),
    "school": ("示例图片·城东小学", "demo-school.jpg", "Chengdong Primary School", "#3a6ea5", "#fbe3a1", "school"),
    "hospital": (
        "示例图片·县人民医院",
        "demo-hospital.jpg",
        "County People's Hospital",
        "#2b7a78",
        "#def2f1",
        "hospital",
    ),
    "mountain": ("示例图片·青山远眺", "demo-mountains.jpg", "Green Mountains", "#113b5c", "#f7c59f", "mountains"),
}
BANNER = ("示例图片·首页头图", "demo-banner.jpg", "Qingshan County People's Government", "#0b3d91", "#7fb8e8", "banner")


def _hex(colour):
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _font(size):
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow without FreeType: bitmap font
        return ImageFont.load_default()


def _hills(draw, base, colour, amplitude, period, phase):
    points = [(0, HEIGHT)]
    for x in range(0, WIDTH + 20, 20):
        points.append((x, base - amplitude * (0.6 + 0.4 * math.sin(x / period + phase))))
    points.append((WIDTH, HEIGHT))
    draw.polygon(points, fill=colour)


def _building_row(draw, base, colours, seed):
    x = 20
    i = seed
    while x < WIDTH - 40:
        w = 70 + (i * 37) % 90
        h = 120 + (i * 53) % 220
        draw.rectangle([x, base - h, x + w, base], fill=colours[i % len(colours)])
        for wy in range(base - h + 15, base - 20, 28):
            for wx in range(x + 10, x + w - 15, 22):
                draw.rectangle([wx, wy, wx + 10, wy + 14], fill="#fff3b0" if (wx + wy + i) % 3 else "#cfd8e3")
        x += w + 12
        i += 1


def draw_scene(caption, top, bottom, scene):
    """A simple illustrated scene: gradient sky, a motif, and the caption on a band."""
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    top_rgb, bottom_rgb = _hex(top), _hex(bottom)
    for y in range(HEIGHT):
        draw.line([(0, y), (WIDTH, y)], fill=_mix(top_rgb, bottom_rgb, y / (HEIGHT - 1)))
    draw.ellipse([WIDTH - 260, 70, WIDTH - 150, 180], fill="#fff4c2")

    if scene in ("hills", "mountains", "banner", "forest"):
        _hills(draw, 420, "#5f8f6b", 120, 90, 0.5)
        _hills(draw, 500, "#3f7a4f", 90, 60, 2.0)
        _hills(draw, 580, "#2d5e3a", 60, 45, 4.0)
        if scene == "hills":
            for row in range(520, HEIGHT, 26):
                draw.arc([-200, row - 60, WIDTH + 200, row + 60], 200, 340, fill="#8cc084", width=6)
        if scene == "forest":
            for x in range(30, WIDTH, 70):
                base = 600 + (x % 3) * 15
                draw.polygon([(x, base), (x + 30, base - 120), (x + 60, base)], fill="#1f4d2c")
        if scene == "banner":
            draw.rectangle([480, 330, 720, 470], fill="#e9edf2")
            draw.polygon([(460, 330), (600, 260), (740, 330)], fill="#b23a3a")
    elif scene == "fields":
        _hills(draw, 380, "#7aa56a", 40, 120, 1.0)
        for i, y in enumerate(range(400, HEIGHT, 30)):
            draw.rectangle([0, y, WIDTH, y + 30], fill="#9bc26b" if i % 2 else "#c9d86a")
        for x in range(-600, WIDTH, 90):
            draw.line([(WIDTH // 2, 400), (x, HEIGHT)], fill="#6e8f3f", width=3)
    elif scene == "river":
        _hills(draw, 360, "#4f7f5a", 80, 80, 1.5)
        draw.rectangle([0, 420, WIDTH, HEIGHT], fill="#3f7fb5")
        for y in range(440, HEIGHT, 28):
            points = [(x, y + 8 * math.sin(x / 40 + y)) for x in range(0, WIDTH + 10, 10)]
            draw.line(points, fill="#a9d2f0", width=3)
    elif scene in ("buildings", "school", "hospital", "drill", "festival"):
        draw.rectangle([0, 560, WIDTH, HEIGHT], fill="#6b6f76")
        _building_row(draw, 560, ["#c5cbd3", "#a7b1bd", "#d9c7a3", "#b9a58a"], len(caption))
        if scene == "school":
            draw.rectangle([380, 300, 820, 560], fill="#f2e6c9")
            draw.rectangle([560, 430, 640, 560], fill="#8a5a3b")
            draw.line([(600, 300), (600, 200)], fill="#555555", width=5)
            draw.rectangle([602, 200, 680, 245], fill="#d62828")
        if scene == "hospital":
            draw.rectangle([420, 260, 780, 560], fill="#f7fbfc")
            draw.rectangle([580, 300, 620, 420], fill="#d62828")
            draw.rectangle([540, 340, 660, 380], fill="#d62828")
        if scene == "drill":
            for x in range(60, WIDTH, 150):
                draw.polygon([(x, 620), (x + 25, 560), (x + 50, 620)], fill="#f77f00")
                draw.rectangle([x + 5, 590, x + 45, 600], fill="#ffffff")
        if scene == "festival":
            for x in range(0, WIDTH, 80):
                draw.line([(x, 140), (x + 80, 140)], fill="#f1faee", width=2)
                draw.polygon([(x + 20, 140), (x + 40, 175), (x + 60, 140)], fill=("#e63946", "#ffb703")[x // 80 % 2])
            for x in range(80, WIDTH, 110):
                draw.ellipse([x, 470, x + 40, 510], fill="#2b2d42")
                draw.rectangle([x + 5, 510, x + 35, 575], fill="#457b9d")

    band_top = HEIGHT - 90
    overlay = Image.new("RGBA", (WIDTH, 90), (0, 0, 0, 140))
    image.paste(overlay, (0, band_top), overlay)
    draw.text((40, band_top + 22), caption, font=_font(40), fill="#ffffff")
    draw.text((WIDTH - 250, band_top + 34), "demo image", font=_font(22), fill="#d0d0d0")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


# --- Spreadsheets -----------------------------------------------------------------


def xlsx_bytes(sheet_title, heading, header, rows):
    """A one-sheet workbook with a merged title row, a bold header and the rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    sheet.append([heading])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for index, title in enumerate(header, start=1):
        longest = max([len(str(title))] + [len(str(row[index - 1])) for row in rows])
        sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = min(60, 4 + longest * 2)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- PDF ------------------------------------------------------------------------------

PAGE_W, PAGE_H, MARGIN = 595, 842, 64
FONT_SIZE, TITLE_SIZE, LEADING = 11, 16, 1.7


def _width(text, size):
    return sum(size * (0.5 if ord(ch) < 128 else 1.0) for ch in text)


def _wrap(text, size, width):
    lines, line = [], ""
    for ch in text:
        if _width(line + ch, size) > width:
            lines.append(line)
            line = ""
        line += ch
    lines.append(line)
    return lines


def _hexstr(text):
    return "<" + text.encode("utf-16-be").hex().upper() + ">"


def pdf_bytes(title, paragraphs):
    """A valid A4 PDF (1.4) with a centred title and wrapped Chinese paragraphs."""
    usable = PAGE_W - 2 * MARGIN
    laid_out = []  # (size, x, text, gap_before)
    for line in _wrap(title, TITLE_SIZE, usable):
        laid_out.append((TITLE_SIZE, (PAGE_W - _width(line, TITLE_SIZE)) / 2, line, 0))
    for paragraph in paragraphs:
        first = True
        for line in _wrap("\u3000\u3000" + paragraph, FONT_SIZE, usable):
            laid_out.append((FONT_SIZE, MARGIN, line, 8 if first else 0))
            first = False

    pages, ops, y = [], [], PAGE_H - MARGIN
    for size, x, text, gap in laid_out:
        y -= gap + size * LEADING
        if y < MARGIN:
            pages.append(ops)
            ops, y = [], PAGE_H - MARGIN - size * LEADING
        ops.append(f"BT /F1 {size} Tf 1 0 0 1 {x:.1f} {y:.1f} Tm {_hexstr(text)} Tj ET")
    pages.append(ops)

    objects = {}
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    font_id, descendant_id, descriptor_id = 3, 4, 5
    objects[font_id] = (
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [4 0 R] >>"
    )
    objects[descendant_id] = (
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> "
        b"/FontDescriptor 5 0 R /DW 1000 /W [1 95 500] >>"
    )
    objects[descriptor_id] = (
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>"
    )
    kids = []
    next_id = 6
    for page_ops in pages:
        stream = zlib.compress("\n".join(page_ops).encode("ascii"))
        content_id, page_id = next_id, next_id + 1
        next_id += 2
        objects[content_id] = (
            f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode() + stream + b"\nendstream"
        )
        objects[page_id] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {content_id} 0 R >>"
        ).encode()
        kids.append(page_id)
    objects[2] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    info_id = next_id
    objects[info_id] = b"<< /Title " + _hexstr("\ufeff" + title).encode() + b" /Producer (Qingshan portal demo data) >>"

    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(f"{number} 0 obj\n".encode() + objects[number] + b"\nendobj\n")
    xref = out.tell()
    count = max(objects) + 1
    out.write(f"xref\n0 {count}\n0000000000 65535 f \n".encode())
    for number in range(1, count):
        out.write(f"{offsets[number]:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {count} /Root 1 0 R /Info {info_id} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()
