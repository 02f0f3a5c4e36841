"""A fake camera for Chromium: a Y4M video whose every frame shows one QR code.

Chromium started with ``--use-fake-device-for-media-stream --use-file-for-fake-video-capture=FILE.y4m``
plays FILE as the camera, looping it. Y4M is raw video: a text header, then for each frame the line
``FRAME`` and the three planes of 4:2:0 YUV (Y at full size, U and V at half width and height). A QR
code needs only the Y (brightness) plane: black modules 0, white 255; U and V stay at 128 (grey).
"""
from __future__ import annotations

from pathlib import Path

import segno

BLACK, WHITE, NEUTRAL = 0, 255, 128


def qr_frame(text: str, width: int = 640, height: int = 480, module_px: int = 8) -> bytes:
    """The Y plane of one frame: the QR code of `text` (level M, quiet zone of 4) centred on white."""
    rows = [list(row) for row in segno.make(text, error="m", micro=False).matrix_iter(scale=1, border=4)]
    size = len(rows) * module_px
    if size > min(width, height):
        raise ValueError(f"a {len(rows)}-module code at {module_px} px does not fit {width}x{height}")
    left, top = (width - size) // 2, (height - size) // 2
    plane = bytearray([WHITE]) * (width * height)
    for r, row in enumerate(rows):
        line = bytearray()
        for dark in row:
            line += bytes([BLACK if dark else WHITE]) * module_px
        for dy in range(module_px):
            start = (top + r * module_px + dy) * width + left
            plane[start:start + size] = line
    return bytes(plane)


def write_y4m(path: Path, text: str, *, width: int = 640, height: int = 480, module_px: int = 8,
              frames: int = 15, fps: int = 15) -> Path:
    """Write a `frames`-long video of the QR code of `text`; Chromium loops it as the camera."""
    if width % 2 or height % 2:
        raise ValueError("4:2:0 needs even dimensions")
    luma = qr_frame(text, width, height, module_px)
    chroma = bytes([NEUTRAL]) * ((width // 2) * (height // 2))
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n")
            out.write(luma)
            out.write(chroma)
            out.write(chroma)
    return Path(path)
