"""The learned models, shipped in the wheel as package data of `nianbao._models`.

pyproject.toml maps this folder to that package; pipeline/paths.py finds it (or the folder named
by the `models_dir` setting or $NIANBAO_MODELS). `nianbao train` writes here from a checkout.
"""
