"""Ruled-grid tables: find the grid (rules -> boundaries -> merged cells) and fill its cells.

- `grid.py`: OpenCV morphology on a page image (scans), `build_grid` from boundaries and rule
  presence (shared with camelot), `fill_cells` (fragments -> cells by overlap).
- `camelot_source.py`: camelot lattice on text-layer PDF pages, converted to the same grids.
- `plot.py`: the debug overlay (`nianbao debug`).
"""

from .grid import build_grid, detect_grids, fill_cells

__all__ = ["build_grid", "detect_grids", "fill_cells"]
