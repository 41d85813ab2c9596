import json, os, sys, shutil
sys.path.insert(0, "/tmp/fixgen")
import common
mods = sys.argv[1:] or ["docs_html", "docs_md", "docs_text", "docs_pdf", "docs_open"]
os.makedirs(common.OUT, exist_ok=True)
for m in mods:
    mod = __import__(m)
    for f in mod.ALL:
        f()
if len(sys.argv) == 1:
    from finish import finish
    finish()
print(len(common.MANIFEST), "docs")
