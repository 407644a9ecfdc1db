"""Build the desk's front-end data from npm packages installed by `make install` (npm ci).

    python tools/build_web_assets.py [--node-modules node_modules] [--scale 50m]

Writes src/eventwatch/web/static/vendor/countries.json (country outlines from world-atlas,
Natural Earth, public domain) and the package's licence beside it. Deterministic: the same
package version gives the same bytes.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from eventwatch.web.outlines import decode_countries  # noqa: E402

VENDOR = ROOT / "src" / "eventwatch" / "web" / "static" / "vendor"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--node-modules", default=str(ROOT / "node_modules"))
    parser.add_argument("--scale", choices=("110m", "50m"), default="50m",
                        help="Natural Earth scale of the outlines (default: 50m)")
    args = parser.parse_args(argv)
    package = Path(args.node_modules) / "world-atlas"
    source = package / f"countries-{args.scale}.json"
    if not source.exists():
        print(f"build_web_assets: {source} is missing; run `npm ci` first (make install)",
              file=sys.stderr)
        return 1
    meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
    countries = decode_countries(json.loads(source.read_text(encoding="utf-8")))
    VENDOR.mkdir(parents=True, exist_ok=True)
    body = {"source": f"world-atlas {meta['version']} countries-{args.scale} (Natural Earth)",
            "countries": countries}
    (VENDOR / "countries.json").write_text(
        json.dumps(body, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
    shutil.copyfile(package / "LICENSE", VENDOR / "world-atlas-LICENSE.txt")
    print(f"build_web_assets: {len(countries)} countries -> {VENDOR / 'countries.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
