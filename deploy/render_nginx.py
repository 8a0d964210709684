"""Write the nginx configuration for a deploy target from deploy/nginx/*.conf.in.

    python deploy/render_nginx.py --root /srv/portal/current --out /etc/nginx/portal \\
        --server-name chinhquyendientu.quangninh.gov.vn --tls --cert ... --key ...

then `include /etc/nginx/portal/portal.conf;` (or portal-tls.conf) in nginx's http block.
"""

import argparse
import os
import sys
from pathlib import Path
from string import Template

TEMPLATES = Path(__file__).resolve().parent / "nginx"


class NginxTemplate(Template):
    """%%{NAME} placeholders: nginx's own $variables pass through untouched."""

    delimiter = "%%"


BROTLI_MODULE = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"


def render(
    out: Path,
    root: str,
    listen: str,
    server_name: str,
    counter: str,
    tls=None,
    standalone_run_dir: Path | None = None,
    brotli: bool | None = None,
) -> list[Path]:
    """Writes the files into `out`; returns their paths."""
    if brotli is None:
        brotli = os.path.exists(BROTLI_MODULE)
    out.mkdir(parents=True, exist_ok=True)
    values = {
        "ROOT": root,
        "LISTEN": listen,
        "SERVER_NAME": server_name,
        "COUNTER_UPSTREAM": counter,
        "CONF_DIR": str(out),
        "BROTLI_STATIC": "brotli_static on;" if brotli else "",
        "TLS_CERT": (tls or ("", ""))[0],
        "TLS_KEY": (tls or ("", ""))[1],
        "RUN_DIR": str(standalone_run_dir or out),
        "USER_LINE": "user root;" if os.geteuid() == 0 else "",
        "LOAD_BROTLI": f"load_module {BROTLI_MODULE};" if brotli else "",
    }
    site = "portal-tls.conf" if tls else "portal.conf"
    pairs = [
        ("portal-headers.conf", "portal-headers.conf"),
        ("portal-site.conf", "portal-site.conf"),
        (site, "portal.conf"),
    ]
    if standalone_run_dir is not None:
        pairs.append(("nginx-standalone.conf", "nginx.conf"))
    written = []
    for source, name in pairs:
        text = NginxTemplate((TEMPLATES / f"{source}.in").read_text(encoding="utf-8"))
        path = out / name
        path.write_text(text.substitute(values), encoding="utf-8")
        written.append(path)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", required=True, help="the deploy target's `current` link")
    parser.add_argument("--out", required=True, type=Path, help="folder for the .conf files")
    parser.add_argument("--listen", default="80")
    parser.add_argument("--server-name", default="chinhquyendientu.quangninh.gov.vn")
    parser.add_argument("--counter", default="127.0.0.1:8001", help="the counting service")
    parser.add_argument("--tls", action="store_true")
    parser.add_argument("--cert", default="/etc/ssl/certs/portal.pem")
    parser.add_argument("--key", default="/etc/ssl/private/portal.key")
    parser.add_argument(
        "--standalone",
        type=Path,
        help="also a whole nginx.conf using this folder for pid, logs and temporary files",
    )
    args = parser.parse_args(argv)
    tls = (args.cert, args.key) if args.tls else None
    listen = "443" if args.tls and args.listen == "80" else args.listen
    for path in render(
        args.out, args.root, listen, args.server_name, args.counter, tls, args.standalone
    ):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
