"""Ruled-grid tables: find the grid (rules -> boundaries -> merged cells) and fill its cells.

- `grid.py`: OpenCV morphology on a page image (scans), `build_grid` from boundaries and rule
  presence (shared with camelot), `fill_cells` (fragments -> cells by overlap).
- `vector_source.py`: text-layer PDF pages: the rules read from the PDF's path objects
  (pypdfium2), nothing rendered; the default source (issue #17).
- `camelot_source.py`: camelot lattice on text-layer PDF pages, converted to the same grids
  (pages whose rules are an image, or all pages with `grid.text_layer_source: camelot`).
- `plot.py`: the debug overlay (`nianbao debug`).
"""

from .grid import build_grid, detect_grids, fill_cells

__all__ = ["build_grid", "detect_grids", "fill_cells"]
